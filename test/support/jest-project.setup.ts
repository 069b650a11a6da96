// Each project's timeout (jest.config.js): short for unit specs, so that a hang is reported in
// seconds; longer where a server, a child process or a browser is involved. A slow spec raises its own.
if (globalThis.LEDGER_TEST_TIMEOUT_MS !== undefined) jest.setTimeout(globalThis.LEDGER_TEST_TIMEOUT_MS);

export {};
