/*
 * runner.exe: runs the command line that follows its own first token, waits for it, and writes
 * the child's Windows exit code to the file named by NODESERVICE_RUNNER_EXIT_FILE before exiting
 * with it. Why: Wine's loader now and then crashes after a program's work is done ("Inconsistency
 * detected by ld.so: dl-fini.c ... Assertion failed", Unix exit status 127), and `wine sc` now and
 * then fails to launch sc.exe at all ("ShellExecuteEx failed"). The wineserver records a
 * program's exit code when it calls ExitProcess, before that crash, so a Windows parent sees the
 * true code; and CreateProcessW finds sc.exe without the shell. The test runner reads the file,
 * so a crash at exit is told apart from a real failure (test/wine/run.ts). CreateProcessW itself
 * now and then fails under load with an error that a moment later is gone: it is tried again.
 */
#include <windows.h>
#include <stdio.h>

/* The command line after its first token (argv[0] by CommandLineToArgvW's rules for it). */
static wchar_t *after_first_token(wchar_t *line)
{
    wchar_t *p = line;
    if (*p == L'"') {
        for (p++; *p && *p != L'"'; p++) {}
        if (*p) p++;
    } else {
        while (*p && *p != L' ' && *p != L'\t') p++;
    }
    while (*p == L' ' || *p == L'\t') p++;
    return p;
}

static HANDLE inheritable(DWORD which)
{
    HANDLE handle = GetStdHandle(which);
    if (handle && handle != INVALID_HANDLE_VALUE) SetHandleInformation(handle, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT);
    return handle;
}

static void record(DWORD code)
{
    wchar_t file[MAX_PATH * 2];
    if (!GetEnvironmentVariableW(L"NODESERVICE_RUNNER_EXIT_FILE", file, sizeof file / sizeof file[0])) return;
    FILE *out = _wfopen(file, L"w");
    if (!out) return;
    fprintf(out, "%lu\n", (unsigned long)code);
    fclose(out);
}

/* Errors that say the program cannot run at all: anything else Wine gives now and then on a busy
 * machine (ERROR_INTERNAL_ERROR 1359 was seen in a fresh-clone CI run), and a retry succeeds. */
static BOOL is_permanent(DWORD error)
{
    return error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND || error == ERROR_BAD_EXE_FORMAT
        || error == ERROR_ACCESS_DENIED || error == ERROR_INVALID_NAME || error == ERROR_DIRECTORY;
}

/* CreateProcessW, tried up to five times over about three seconds while Wine's failure looks transient. */
static BOOL start(wchar_t *command, STARTUPINFOW *startup, PROCESS_INFORMATION *process)
{
    for (int attempt = 1;; attempt++) {
        if (CreateProcessW(NULL, command, NULL, NULL, TRUE, 0, NULL, NULL, startup, process)) return TRUE;
        DWORD error = GetLastError();
        if (attempt == 5 || is_permanent(error)) {
            SetLastError(error);
            return FALSE;
        }
        Sleep(200 * attempt);
    }
}

int wmain(void)
{
    wchar_t *command = after_first_token(GetCommandLineW());
    STARTUPINFOW startup = { sizeof startup };
    PROCESS_INFORMATION process;
    DWORD code = 0;

    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = inheritable(STD_INPUT_HANDLE);
    startup.hStdOutput = inheritable(STD_OUTPUT_HANDLE);
    startup.hStdError = inheritable(STD_ERROR_HANDLE);
    if (!*command || !start(command, &startup, &process)) {
        DWORD error = *command ? GetLastError() : ERROR_BAD_ARGUMENTS;
        fwprintf(stderr, L"runner.exe: cannot start \"%ls\" (Win32 error %lu)\n", command, (unsigned long)error);
        record(0xC0000135);
        return 0xC0000135;
    }
    WaitForSingleObject(process.hProcess, INFINITE);
    GetExitCodeProcess(process.hProcess, &code);
    record(code);
    return (int)code;
}
