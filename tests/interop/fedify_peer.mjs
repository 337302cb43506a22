// An independent ActivityPub peer built on Fedify, for Mutual's interoperability test.
//
// It serves one actor at http://localhost:PEER_PORT/users/peer with a fresh RSA key pair,
// looks a Mutual organisation up by WebFinger, follows it with a signed Follow, and then
// reports (one JSON object per line on stdout) the Accept and every other activity that
// arrives. Fedify verifies the HTTP signature of every inbox delivery; an activity whose
// signature does not verify, or any other error, ends the process with a non-zero exit.
// See run.sh for the environment variables and the output lines.

import http from "node:http";
import process from "node:process";

import jsonld from "jsonld";
import { configure, getStreamSink } from "@logtape/logtape";
import {
  createFederation,
  generateCryptoKeyPair,
  InProcessMessageQueue,
  MemoryKvStore,
} from "@fedify/fedify";
import {
  Accept,
  Activity,
  Create,
  Endpoints,
  Follow,
  isActor,
  Organization,
  Person,
  Service,
} from "@fedify/vocab";

const IDENTIFIER = "peer";
const AS = "https://www.w3.org/ns/activitystreams#";
const MUTUAL = "https://w3id.org/mutual#";

function emit(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
}

let failing = false;
function fail(message, fields = {}) {
  if (failing) return;
  failing = true;
  emit("error", { message, ...fields });
  // Let the current HTTP response go out before leaving.
  setTimeout(() => process.exit(1), 100);
}

const mutualHandle = (process.env.MUTUAL_HANDLE ?? process.argv[2] ?? "")
  .trim()
  .replace(/^@/, "");
const handleMatch = /^([^@\s]+)@([^@\s/]+)$/.exec(mutualHandle);
if (handleMatch == null) {
  process.stderr.write(
    "usage: MUTUAL_HANDLE=handle@host:port node fedify_peer.mjs (or pass it as the first argument)\n",
  );
  process.exit(2);
}
const mutualHost = handleMatch[2];
const requestedPort = Number.parseInt(process.env.PEER_PORT ?? "0", 10);
const timeoutSeconds = Number.parseFloat(process.env.PEER_TIMEOUT_SECS ?? "300");
const exitAfterCreate = process.env.PEER_EXIT_AFTER_CREATE === "1";
const actorTypes = { Organization, Person, Service };
const ActorType = actorTypes[process.env.PEER_ACTOR_TYPE ?? "Organization"];
if (ActorType == null) {
  process.stderr.write(`PEER_ACTOR_TYPE must be one of ${Object.keys(actorTypes).join(", ")}\n`);
  process.exit(2);
}

// Fedify's own log (signature checks, deliveries) goes to stderr, never to stdout.
await configure({
  sinks: {
    stderr: getStreamSink(
      new WritableStream({
        write(chunk) {
          process.stderr.write(chunk);
        },
      }),
    ),
  },
  loggers: [
    { category: ["logtape", "meta"], sinks: ["stderr"], lowestLevel: "error" },
    {
      category: "fedify",
      sinks: ["stderr"],
      lowestLevel: process.env.PEER_LOG_LEVEL ?? "warning",
    },
  ],
});

// WebFinger for an acct: handle always goes over https (as it does in Mastodon). Mutual
// runs on plain http in this test, so only that one request, to Mutual's host, is sent
// over http instead. Everything after it uses the URLs Mutual's documents give.
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  const prefix = `https://${mutualHost}/.well-known/webfinger?`;
  if (url.startsWith(prefix)) {
    const rewritten = "http" + url.slice("https".length);
    return realFetch(input instanceof Request ? new Request(rewritten, input) : rewritten, init);
  }
  return realFetch(input, init);
};

// RSA for HTTP signatures (the publicKey Mutual reads), Ed25519 for Object Integrity
// Proofs, as a Fedify server usually has.
const keyPairs = [
  await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"),
  await generateCryptoKeyPair("Ed25519"),
];

const federation = createFederation({
  kv: new MemoryKvStore(),
  queue: new InProcessMessageQueue(),
  // Both servers are on loopback; signature verification stays on (the default).
  allowPrivateAddress: true,
  skipSignatureVerification: false,
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== IDENTIFIER) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new ActorType({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify interop peer",
      summary: "An independent ActivityPub implementation used to test Mutual.",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      url: ctx.getActorUri(identifier),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((k) => k.multikey),
      manuallyApprovesFollowers: false,
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) =>
    identifier === IDENTIFIER ? keyPairs : []
  );

let mutualActor = null;
let followId = null;
// An Accept can race the end of the Follow's POST; "accept" is always printed after "follow_sent".
let markFollowSent;
const followSent = new Promise((resolve) => {
  markFollowSent = resolve;
});

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Accept, async (ctx, accept) => {
    // The embedded Follow is ours (another origin than the Accept): it is taken as sent and
    // checked against the id this peer sent, instead of being fetched back from here.
    const follow = await accept.getObject({ crossOrigin: "trust" });
    const fields = {
      id: accept.id?.href ?? null,
      actor: accept.actorId?.href ?? null,
      object: follow?.id?.href ?? null,
      recipient: ctx.recipient ?? null,
    };
    if (mutualActor == null || accept.actorId?.href !== mutualActor.id?.href) {
      fail("an Accept from an actor this peer did not follow", fields);
      return;
    }
    if (!(follow instanceof Follow) || follow.id?.href !== followId) {
      fail("the Accept is not about the Follow this peer sent", fields);
      return;
    }
    await followSent;
    emit("accept", fields);
  })
  .on(Create, async (ctx, create) => {
    // Default origin check: an embedded object from another origin would be refetched.
    const object = await create.getObject();
    // Mutual's own terms (contentType, …) are in its JSON-LD namespace, which Fedify's
    // vocabulary does not model: expand the activity as received to read them by IRI.
    const [expanded] = await jsonld.expand(await create.toJsonLd(), {
      documentLoader: ctx.contextLoader,
    });
    const expandedObject = expanded?.[AS + "object"]?.[0] ?? {};
    const mutualTerm = (name) => expandedObject[MUTUAL + name]?.[0]?.["@value"] ?? null;
    emit("create", {
      id: create.id?.href ?? null,
      actor: create.actorId?.href ?? null,
      objectType: object?.constructor?.name ?? null,
      objectId: object?.id?.href ?? null,
      attributedTo: object?.attributionId?.href ?? null,
      name: object?.name?.toString() ?? null,
      contentType: mutualTerm("contentType"),
      revision: mutualTerm("revision"),
      url: object?.url?.href ?? null,
      recipient: ctx.recipient ?? null,
    });
    if (exitAfterCreate) setTimeout(() => process.exit(0), 100);
  })
  .on(Activity, async (ctx, activity) => {
    const object = await activity.getObject().catch(() => null);
    emit("activity", {
      type: activity.constructor.name,
      id: activity.id?.href ?? null,
      actor: activity.actorId?.href ?? null,
      objectId: object?.id?.href ?? activity.objectId?.href ?? null,
      recipient: ctx.recipient ?? null,
    });
  })
  .onUnverifiedActivity(async (_ctx, activity, reason) => {
    fail("an inbox delivery whose HTTP signature did not verify", {
      type: activity?.constructor?.name ?? null,
      id: activity?.id?.href ?? null,
      reason: JSON.parse(
        JSON.stringify(reason, (_k, v) => (v instanceof URL ? v.href : v instanceof Error ? String(v) : v)),
      ),
    });
  })
  .onError(async (_ctx, error) => {
    fail(`inbox listener failed: ${error?.stack ?? error}`);
  });

// Node's HTTP server in front of federation.fetch(): a Request in, a Response out.
async function toRequest(req, origin) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value != null) headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url, origin), {
    method: req.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
}

let origin = null;
const server = http.createServer(async (req, res) => {
  try {
    const request = await toRequest(req, origin);
    const response = await federation.fetch(request, {
      contextData: undefined,
      onNotFound: () => new Response("Not found", { status: 404 }),
      onNotAcceptable: () => new Response("Not acceptable", { status: 406 }),
    });
    if (process.env.PEER_LOG_REQUESTS === "1") {
      process.stderr.write(`peer: ${req.method} ${req.url} -> ${response.status}\n`);
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    process.stderr.write(`peer: ${req.method} ${req.url} failed: ${error?.stack ?? error}\n`);
    res.writeHead(500).end();
  }
});

await new Promise((resolve, reject) => {
  server.once("error", reject);
  server.listen(requestedPort, "127.0.0.1", resolve);
});
const port = server.address().port;
origin = `http://localhost:${port}`;

const deadline = setTimeout(() => fail(`no result within ${timeoutSeconds} s`), timeoutSeconds * 1000);
deadline.unref?.();
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    process.exit(0);
  });
}

try {
  const ctx = federation.createContext(new URL(origin), undefined);
  emit("ready", { port, actor: ctx.getActorUri(IDENTIFIER).href, actorType: ActorType.name });

  mutualActor = await ctx.lookupObject(`@${mutualHandle}`);
  if (mutualActor == null || !isActor(mutualActor)) {
    fail(`WebFinger lookup of @${mutualHandle} found no actor`, {
      type: mutualActor?.constructor?.name ?? null,
    });
  } else {
    emit("looked_up", {
      type: mutualActor.constructor.name,
      id: mutualActor.id?.href ?? null,
      inbox: mutualActor.inboxId?.href ?? null,
      sharedInbox: mutualActor.endpoints?.sharedInbox?.href ?? null,
      preferredUsername: mutualActor.preferredUsername?.toString() ?? null,
      name: mutualActor.name?.toString() ?? null,
    });

    followId = new URL(`/follows/${crypto.randomUUID()}`, origin).href;
    const follow = new Follow({
      id: new URL(followId),
      actor: ctx.getActorUri(IDENTIFIER),
      object: mutualActor.id,
    });
    // Sent at once, not queued, so a refusal is an error here rather than a silent retry.
    await ctx.sendActivity({ identifier: IDENTIFIER }, mutualActor, follow, { immediate: true });
    emit("follow_sent", { id: followId, object: mutualActor.id?.href ?? null });
    markFollowSent();
  }
} catch (error) {
  fail(`${error?.stack ?? error}`);
}
