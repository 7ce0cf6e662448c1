/**
 * The tests' XML parser is the runtime's (runtime/system/xml.ts), so there is one strict parser,
 * tested once, for the Event schema, the perf manifests and the MSI sources alike.
 * @module
 */
export { parseXml, type XmlElement } from '../../runtime/system/xml.ts';
