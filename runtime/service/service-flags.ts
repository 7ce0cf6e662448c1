/**
 * The two flag words of a service status as types, as windows-service-rs's ServiceControlAccept and
 * ServiceType bitflags are (issue 17): a status reads `status.controlsAccepted.has('STOP')` and
 * `status.serviceType.kind`, and a SERVICE_CONTROL_* code can no longer pass for an accept mask
 * (pywin32's own demo ORs one into it). Unlike Rust's `from_bits_truncate`, bits without a name are
 * kept (`unknownBits`, and in `raw`): a newer Windows may set one, and a status read and written
 * back must not lose it. `raw` is the DWORD, and `toJSON()` gives it, so JSON output keeps the
 * numbers it always had.
 * @module
 */
import { AcceptControl, ServiceType } from './constants.ts';

/** A name of an {@link AcceptControl} flag, e.g. 'STOP' or 'PAUSE_CONTINUE'. */
export type AcceptedControl = keyof typeof AcceptControl;
/** A name of {@link ServiceType}, e.g. 'WIN32_OWN_PROCESS'. */
export type ServiceTypeName = keyof typeof ServiceType;

/** SERVICE_USERSERVICE_INSTANCE: this service is the per-user instance of a user service (its template has USER_*_PROCESS). */
export const SERVICE_USERSERVICE_INSTANCE = 0x80;
/** SERVICE_INTERACTIVE_PROCESS: the service may interact with the desktop (own- and share-process services only). */
export const SERVICE_INTERACTIVE_PROCESS = 0x100;

const ACCEPT_NAMES = Object.keys(AcceptControl) as AcceptedControl[];
const KNOWN_ACCEPT_BITS = ACCEPT_NAMES.reduce((mask, name) => mask | AcceptControl[name], 0);

/** Throws unless `raw` is a DWORD. */
function checkDword(raw: number, what: string): void {
  if (!Number.isInteger(raw) || raw < 0 || raw > 0xffff_ffff) throw new RangeError(`${what} must be a 32-bit unsigned integer, not ${raw}`);
}

const hex = (bits: number) => `0x${bits.toString(16)}`;

/** SERVICE_STATUS.dwControlsAccepted: the controls a service accepts now. */
export class AcceptedControls {
  /** The DWORD as the SCM has it, unknown bits included. */
  readonly raw: number;

  private constructor(raw: number) {
    this.raw = raw;
  }

  /** Nothing accepted (a stopped service, most pending states). */
  static readonly NONE: AcceptedControls = new AcceptedControls(0);

  /** The flags of a raw dwControlsAccepted; bits without a name are kept. Throws a RangeError for a value that is no DWORD. */
  static fromRaw(raw: number): AcceptedControls {
    checkDword(raw, 'controlsAccepted');
    return new AcceptedControls(raw);
  }

  /** The flags with these names. Throws a TypeError for a name that is none (a control code's name such as 'PAUSE', say). */
  static of(...names: readonly AcceptedControl[]): AcceptedControls {
    return new AcceptedControls(
      names.reduce((mask, name) => {
        if (!Object.hasOwn(AcceptControl, name))
          throw new TypeError(`'${name}' is not an accepted control: use ${ACCEPT_NAMES.join(', ')}`);
        return mask | AcceptControl[name];
      }, 0),
    );
  }

  /** Whether the flag `name` is set. */
  has(name: AcceptedControl): boolean {
    return (this.raw & AcceptControl[name]) !== 0;
  }

  /** The flags of this set that `other` has too. */
  intersect(other: AcceptedControls): AcceptedControls {
    return new AcceptedControls((this.raw & other.raw) >>> 0);
  }

  /** The names of the flags set, in the order of their bits. */
  get names(): AcceptedControl[] {
    return ACCEPT_NAMES.filter((name) => this.has(name));
  }

  /** The bits set that have no name here (0 when none). */
  get unknownBits(): number {
    return (this.raw & ~KNOWN_ACCEPT_BITS) >>> 0;
  }

  /** The DWORD, for SetServiceStatus or a comparison. */
  toRaw(): number {
    return this.raw;
  }

  /** The DWORD: JSON keeps the number. */
  toJSON(): number {
    return this.raw;
  }

  /** `STOP|PAUSE_CONTINUE`, an unknown bit in hex (`STOP|0x800`), or `NONE`. */
  toString(): string {
    const parts: string[] = this.names;
    if (this.unknownBits) parts.push(hex(this.unknownBits));
    return parts.join('|') || 'NONE';
  }
}

/** SERVICE_STATUS.dwServiceType and QUERY_SERVICE_CONFIG.dwServiceType: the kind of service, and its flags. */
export class ServiceTypeFlags {
  /** The DWORD as the SCM has it. */
  readonly raw: number;
  /** The kind (the value without the flags below) by name; undefined when it has none here (see `unknownBits`). */
  readonly kind: ServiceTypeName | undefined;
  /** SERVICE_INTERACTIVE_PROCESS is set. */
  readonly interactive: boolean;
  /** SERVICE_USERSERVICE_INSTANCE is set. */
  readonly userInstance: boolean;

  private constructor(raw: number) {
    this.raw = raw;
    const base = this.#base;
    this.kind = (Object.keys(ServiceType) as ServiceTypeName[]).find((name) => ServiceType[name] === base);
    this.interactive = (raw & SERVICE_INTERACTIVE_PROCESS) !== 0;
    this.userInstance = (raw & SERVICE_USERSERVICE_INSTANCE) !== 0;
  }

  get #base(): number {
    return (this.raw & ~(SERVICE_INTERACTIVE_PROCESS | SERVICE_USERSERVICE_INSTANCE)) >>> 0;
  }

  /** The type of a raw dwServiceType; a kind without a name is kept. Throws a RangeError for a value that is no DWORD. */
  static fromRaw(raw: number): ServiceTypeFlags {
    checkDword(raw, 'serviceType');
    return new ServiceTypeFlags(raw);
  }

  /** The type of kind `kind`, with the flags given. Throws a TypeError for a kind that is none. */
  static of(kind: ServiceTypeName, flags: { interactive?: boolean; userInstance?: boolean } = {}): ServiceTypeFlags {
    if (!Object.hasOwn(ServiceType, kind))
      throw new TypeError(`'${kind}' is not a service type: use ${Object.keys(ServiceType).join(', ')}`);
    const raw =
      ServiceType[kind] | (flags.interactive ? SERVICE_INTERACTIVE_PROCESS : 0) | (flags.userInstance ? SERVICE_USERSERVICE_INSTANCE : 0);
    return new ServiceTypeFlags(raw);
  }

  /** The kind's bits when it has no name here (0 when it has one). */
  get unknownBits(): number {
    return this.kind === undefined ? this.#base : 0;
  }

  /** Whether the service runs in a process shared with others (WIN32_SHARE_PROCESS, USER_SHARE_PROCESS). */
  get shared(): boolean {
    return this.kind === 'WIN32_SHARE_PROCESS' || this.kind === 'USER_SHARE_PROCESS';
  }

  /** The DWORD, for CreateServiceW or a comparison. */
  toRaw(): number {
    return this.raw;
  }

  /** The DWORD: JSON keeps the number. */
  toJSON(): number {
    return this.raw;
  }

  /** The name as `typeName` gives it: 'WIN32_OWN_PROCESS', 'WIN32_OWN_PROCESS|INTERACTIVE_PROCESS', or the kind in hex ('0x4'). */
  toString(): string {
    return [
      this.kind ?? hex(this.#base),
      ...(this.userInstance ? ['USERSERVICE_INSTANCE'] : []),
      ...(this.interactive ? ['INTERACTIVE_PROCESS'] : []),
    ].join('|');
  }
}
