/**
 * The one question the tests ask about where they run: under Wine (on Linux, the project's own
 * bench) or on Windows itself (the CI workflow .github/workflows/windows.yml). Everything that
 * differs between the two asks `underWine`: which process runner starts programs (test/wine or
 * test/native), where C:\ is, how Event Log entries are seen, and the assertions that Wine cannot
 * show (failure actions, dependents, shared processes, stored Event Log records, PDH listing),
 * which run strictly on Windows and in their Wine form here.
 * @module
 */

/** True when Windows programs run under Wine (every platform but Windows). */
export const underWine = process.platform !== 'win32';
