// Preloaded (`node.exe --require`) into every Windows Node program the tests, the demo and the bench
// run: it ends the process when Node's event loop has drained (the 'exit' event), before Node's own
// teardown. Node 24 on Windows can abort in that teardown after a program has done its work
// ("Assertion failed: !(handle->flags & UV_HANDLE_CLOSING), file src\win\async.c", exit code
// 0xC0000409; nodejs/node#56645), which under Wine 10 failed about one run in ten of a test's
// helper script. host.exe does the same for its command line (host/main.ts). Nothing is lost: the
// loop has drained, and stdout and stderr are files here, written synchronously.
'use strict';
const path = require('node:path');
const koffi = require(path.join(__dirname, '..', '..', 'build', 'win32', 'node_modules', 'koffi'));

const kernel32 = koffi.load('kernel32.dll');
const GetCurrentProcess = kernel32.func('void *__stdcall GetCurrentProcess()');
const TerminateProcess = kernel32.func('bool __stdcall TerminateProcess(void *process, uint32_t code)');

process.once('exit', (code) => {
  TerminateProcess(GetCurrentProcess(), code >>> 0);
});
