// A worker that fails while starting, for the EWORKER tests.
throw new Error('this worker fails at start-up');
