/**
 * The program of a service's thread: a bundle of its own (build/bundle.ts), smaller than
 * host.exe's and carried as an asset of its SEA, that the supervisor starts as an evaluated worker
 * (supervisor.ts).
 *
 * Why a second bundle: a thread that ran host.exe's whole bundle evaluated the command line, the
 * installer and everything else the service never uses, after pkg's worker bootstrap (host.exe was
 * built with pkg then) had set up its virtual file system for it; both cost memory in every
 * service's isolate and time at every start (`npm run bench` shows the before and after). This one
 * holds the runtime the service imports, its loader and the thread's side of the supervision,
 * nothing else; the koffi addon it loads is the file the main thread checked and loaded.
 * @module
 */
import { runServiceWorker } from './service-worker.ts';

// An uncaught error here ends this service's thread only; its supervisor on the main thread reports it.
void runServiceWorker();
