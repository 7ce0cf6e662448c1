/**
 * The bare Node service of the benchmark: what a hand-written service needs with plain Node and
 * koffi, no framework. Like the C floor it reports RUNNING from ServiceMain and STOPPED on a stop
 * control. Its binPath: "node.exe" "bare-service.cjs" "<koffi package folder>".
 */
'use strict';
const koffi = require(process.argv[2]);

const SERVICE_WIN32_OWN_PROCESS = 0x10;
const SERVICE_STOPPED = 1;
const SERVICE_RUNNING = 4;
const SERVICE_ACCEPT_STOP = 1;
const SERVICE_CONTROL_STOP = 1;
const SERVICE_CONTROL_INTERROGATE = 4;
const ERROR_CALL_NOT_IMPLEMENTED = 120;

const advapi32 = koffi.load('advapi32.dll');
koffi.struct('SERVICE_STATUS', {
  dwServiceType: 'uint32',
  dwCurrentState: 'uint32',
  dwControlsAccepted: 'uint32',
  dwWin32ExitCode: 'uint32',
  dwServiceSpecificExitCode: 'uint32',
  dwCheckPoint: 'uint32',
  dwWaitHint: 'uint32',
});
const ServiceMain = koffi.proto('void __stdcall ServiceMain(uint32 argc, void *argv)');
const HandlerEx = koffi.proto('uint32 __stdcall HandlerEx(uint32 control, uint32 eventType, void *eventData, void *context)');
koffi.struct('SERVICE_TABLE_ENTRYW', { name: 'const char16_t *', proc: koffi.pointer(ServiceMain) });
const RegisterServiceCtrlHandlerExW = advapi32.func('void *__stdcall RegisterServiceCtrlHandlerExW(const char16_t *name, HandlerEx *handler, void *context)');
const SetServiceStatus = advapi32.func('bool __stdcall SetServiceStatus(void *handle, const SERVICE_STATUS *status)');
const StartServiceCtrlDispatcherW = advapi32.func('bool __stdcall StartServiceCtrlDispatcherW(const SERVICE_TABLE_ENTRYW *table)');

let statusHandle = null;
function report(state) {
  SetServiceStatus(statusHandle, {
    dwServiceType: SERVICE_WIN32_OWN_PROCESS,
    dwCurrentState: state,
    dwControlsAccepted: state === SERVICE_RUNNING ? SERVICE_ACCEPT_STOP : 0,
    dwWin32ExitCode: 0,
    dwServiceSpecificExitCode: 0,
    dwCheckPoint: 0,
    dwWaitHint: 0,
  });
}

const handler = koffi.register((control) => {
  if (control === SERVICE_CONTROL_STOP) {
    // After HandlerEx has returned, as the C floor does from ServiceMain's thread: reporting the
    // last STOPPED ends the dispatcher, and the stop control would never get its answer.
    setImmediate(() => report(SERVICE_STOPPED));
    return 0;
  }
  return control === SERVICE_CONTROL_INTERROGATE ? 0 : ERROR_CALL_NOT_IMPLEMENTED;
}, koffi.pointer(HandlerEx));

const main = koffi.register((argc, argv) => {
  const [name] = koffi.decode(argv, 'const char16_t *', argc);
  statusHandle = RegisterServiceCtrlHandlerExW(name, handler, null);
  report(SERVICE_RUNNING);
}, koffi.pointer(ServiceMain));

// The dispatcher blocks a pool thread; ServiceMain and HandlerEx run on this one. Keep it alive.
const keepAlive = setInterval(() => {}, 1 << 30);
StartServiceCtrlDispatcherW.async([{ name: '', proc: main }, { name: null, proc: null }], () => {
  clearInterval(keepAlive);
  process.exit(0);
});
