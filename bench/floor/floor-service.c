/*
 * The floor of the benchmark: the least a Windows service can do. It reports RUNNING from
 * ServiceMain, waits for a stop control, and reports STOPPED. Built with mingw at bench time:
 *   x86_64-w64-mingw32-gcc -O2 -s -o floor-service.exe floor-service.c -ladvapi32
 */
#include <windows.h>

static SERVICE_STATUS_HANDLE statusHandle;
static SERVICE_STATUS status = {SERVICE_WIN32_OWN_PROCESS, SERVICE_START_PENDING, 0, NO_ERROR, 0, 0, 0};
static HANDLE stopEvent;

static DWORD WINAPI handler(DWORD control, DWORD eventType, LPVOID eventData, LPVOID context) {
  (void)eventType;
  (void)eventData;
  (void)context;
  if (control == SERVICE_CONTROL_STOP) {
    SetEvent(stopEvent);
    return NO_ERROR;
  }
  return control == SERVICE_CONTROL_INTERROGATE ? NO_ERROR : ERROR_CALL_NOT_IMPLEMENTED;
}

static void WINAPI serviceMain(DWORD argc, LPWSTR *argv) {
  (void)argc;
  stopEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
  statusHandle = RegisterServiceCtrlHandlerExW(argv[0], handler, NULL);
  if (!statusHandle) return;
  status.dwCurrentState = SERVICE_RUNNING;
  status.dwControlsAccepted = SERVICE_ACCEPT_STOP;
  SetServiceStatus(statusHandle, &status);
  WaitForSingleObject(stopEvent, INFINITE);
  status.dwCurrentState = SERVICE_STOPPED;
  status.dwControlsAccepted = 0;
  SetServiceStatus(statusHandle, &status);
}

int main(void) {
  SERVICE_TABLE_ENTRYW table[] = {{L"", serviceMain}, {NULL, NULL}};
  return StartServiceCtrlDispatcherW(table) ? 0 : 1;
}
