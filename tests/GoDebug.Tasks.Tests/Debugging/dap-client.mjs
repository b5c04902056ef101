// A DAP client that behaves as VS Code's debug session does towards a remote attach ("debugAdapter": "dlv-dap"):
// @vscode/debugadapter-testsupport's DebugClient on the endpoint, breakpoints sent on 'initialized', and on
// 'terminated' with 'restart' a disconnect, a new connection, attach with __restart and every breakpoint sent again.
// The Restart button (no supportsRestartRequest) is disconnect {restart, terminateDebuggee: true}, then the same.
// Usage: node dap-client.mjs NODE_MODULES DAP_PORT APP_PORT GREET_GO LINE
// It saves greet.go itself (the reload) and prints one JSON line with what it saw; exit code 0 only if all went as expected.
import { createRequire } from 'node:module';
import { writeFileSync, readFileSync } from 'node:fs';

const [modules, dapPort, appPort, greetGo, lineText] = process.argv.slice(2);
const require = createRequire(modules + '/');
const { DebugClient } = require('@vscode/debugadapter-testsupport');
const line = Number(lineText);
const seen = { sessions: 0, restarts: [] };
const timeout = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms));
const within = (promise, ms, what) => Promise.race([promise, timeout(ms, what)]);

// One VS Code debug session: connect, initialize, attach, breakpoints on 'initialized', configurationDone.
async function attach(restart) {
  const dc = new DebugClient('node', 'unused', 'go');
  await dc.start(Number(dapPort));
  const terminated = new Promise((resolve) => dc.on('terminated', (e) => resolve(e)));
  const initialized = dc.waitForEvent('initialized');
  const init = await dc.initializeRequest({ adapterID: 'go', clientID: 'vscode', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsInvalidatedEvent: true });
  const attachArgs = { request: 'attach', mode: 'remote', name: 'Go: Attach to headless dlv' };
  if (restart !== undefined) attachArgs.__restart = restart;
  await dc.attachRequest(attachArgs);
  await within(initialized, 30000, 'initialized');
  const bps = await dc.setBreakpointsRequest({ source: { path: greetGo }, breakpoints: [{ line }] });
  await dc.configurationDoneRequest();
  seen.sessions++;
  return { dc, terminated, init, verified: bps.body.breakpoints.map((b) => b.verified) };
}

// VS Code on terminated {restart}: disconnect (restart: true), then a new session with __restart.
async function followRestart(session, how) {
  const event = await within(session.terminated, 120000, `terminated (${how})`);
  seen.restarts.push({ how, restart: event.body?.restart ?? null });
  if (!event.body?.restart) throw new Error(`terminated without restart (${how})`);
  try { await within(session.dc.disconnectRequest({ restart: true }), 10000, 'disconnect'); } catch { /* the old session may be gone already */ }
  session.dc.stopAdapter();
  return attach(event.body.restart);
}

async function get(name) {
  for (let i = 0; i < 2000; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${appPort}/hello?name=${name}`);
      return (await res.json()).message;
    } catch { await new Promise((r) => setTimeout(r, 25)); }
  }
  throw new Error('the app never answered');
}

// A request stops at the breakpoint: threads, stackTrace, scopes, variables, next, continue must all work.
async function inspect(dc, name) {
  const stopped = dc.waitForEvent('stopped', 60000);
  const answer = get(name);
  const event = await stopped;
  const threads = await dc.threadsRequest();
  const threadId = event.body.threadId;
  const stack = await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 20 });
  const top = stack.body.stackFrames[0];
  const scopes = await dc.scopesRequest({ frameId: top.id });
  const locals = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
  const next = dc.waitForEvent('stopped', 60000);
  await dc.nextRequest({ threadId });
  const afterNext = await next;
  const stackAfterNext = await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 1 });
  await dc.continueRequest({ threadId });
  return {
    reason: event.body.reason,
    threads: threads.body.threads.length,
    top: top.name,
    topLine: top.line,
    locals: Object.fromEntries(locals.body.variables.map((v) => [v.name, v.value])),
    nextReason: afterNext.body.reason,
    nextLine: stackAfterNext.body.stackFrames[0].line,
    answer: await within(answer, 30000, 'answer after continue'),
  };
}

const result = {};
try {
  let session = await attach();
  result.supportsRestartRequest = session.init.body?.supportsRestartRequest ?? false;
  result.verifiedBefore = session.verified;
  result.before = await inspect(session.dc, 'w');

  // A save: the reload ends the session with terminated {restart}; VS Code attaches again.
  const source = readFileSync(greetGo, 'utf8');
  writeFileSync(greetGo, source.replace('"hello, "', '"hi, "'));
  session = await followRestart(session, 'reload');
  result.verifiedAfter = session.verified;
  result.after = await inspect(session.dc, 'w');

  // VS Code's Restart button on an attach session that does not support restart: disconnect with terminateDebuggee.
  const restarted = session.dc.disconnectRequest({ restart: true, terminateDebuggee: true });
  await within(restarted, 10000, 'restart-button disconnect');
  session.dc.stopAdapter();
  session = await attach(true);
  await session.dc.setBreakpointsRequest({ source: { path: greetGo }, breakpoints: [] });
  result.afterRestartButton = await get('x');

  // The Stop button: disconnect; the program must keep running.
  await within(session.dc.disconnectRequest({ terminateDebuggee: true }), 10000, 'stop disconnect');
  session.dc.stopAdapter();
  result.afterStop = await get('y');
  result.seen = seen;
  console.log(JSON.stringify(result));
  process.exit(0);
} catch (err) {
  result.error = String(err?.stack ?? err);
  result.seen = seen;
  console.log(JSON.stringify(result));
  process.exit(1);
}
