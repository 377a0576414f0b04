// Drives the official `openai` npm package against a running backoff4j mock and prints one JSON
// object with what it observed. Usage: node sdk-check.mjs NODE_MODULES_PARENT BASE_URL
// The mock must run the scenario NodeSdkCompatibilityTest installs: a fixed reply and a script of
// seven passing requests, one Responses stream failed after five events (sse-failed:5), then one
// 429 with retry-after-ms.
import { createRequire } from "node:module";
import path from "node:path";

const [installDir, baseURL] = process.argv.slice(2);
const require = createRequire(path.join(installDir, "package.json"));
const { default: OpenAI } = await import(require.resolve("openai"));

const client = new OpenAI({ baseURL, apiKey: "sk-node", maxRetries: 0, timeout: 10_000 });
const result = {};

const completion = await client.chat.completions.create({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "hello from node" }],
});
result.chat = {
  object: completion.object,
  content: completion.choices[0].message.content,
  finishReason: completion.choices[0].finish_reason,
  totalTokens: completion.usage.total_tokens,
};

const stream = await client.chat.completions.create({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "stream me" }],
  stream: true,
});
let streamed = "";
let chunks = 0;
for await (const chunk of stream) {
  chunks++;
  streamed += chunk.choices[0]?.delta?.content ?? "";
}
result.stream = { content: streamed, chunks };

const embeddings = await client.embeddings.create({ model: "text-embedding-3-small", input: ["a", "b"] });
result.embeddings = { count: embeddings.data.length, dimensions: embeddings.data[0].embedding.length };

const models = await client.models.list();
result.models = models.data.map((m) => m.id);

const response = await client.responses.create({
  model: "gpt-4o-mini",
  instructions: "Be brief.",
  input: [{ role: "user", content: [{ type: "input_text", text: "respond from node" }] }],
});
result.responses = {
  object: response.object,
  id: response.id,
  status: response.status,
  outputText: response.output_text, // the SDK's own aggregation of the output_text parts
  totalTokens: response.usage.total_tokens,
};

const responseStream = await client.responses.create({ model: "gpt-4o-mini", input: "stream me", stream: true });
const events = [];
for await (const event of responseStream) {
  events.push(event);
}
result.responseStream = {
  types: events.map((e) => e.type),
  sequenceNumbers: events.map((e) => e.sequence_number),
  deltas: events.filter((e) => e.type === "response.output_text.delta").map((e) => e.delta).join(""),
  // output_text is the SDK's addition to responses it returns whole; raw events carry only output
  completedText: events.at(-1)?.response?.output?.[0]?.content?.[0]?.text ?? null,
};

// The SDK's stream helper rebuilds the response from the events and rejects inconsistent ones.
const helper = client.responses.stream({ model: "gpt-4o-mini", input: "stream me again" });
let helperDeltas = "";
helper.on("response.output_text.delta", (e) => {
  helperDeltas += e.delta;
});
const final = await helper.finalResponse();
result.responseHelper = { deltas: helperDeltas, outputText: final.output_text, status: final.status };

const failing = await client.responses.create({ model: "gpt-4o-mini", input: "fail me", stream: true });
const failingEvents = [];
for await (const event of failing) {
  failingEvents.push(event);
}
const failed = failingEvents.at(-1);
result.responseFailed = {
  type: failed.type,
  sequenceNumber: failed.sequence_number,
  status: failed.response?.status ?? null,
  errorCode: failed.response?.error?.code ?? null,
};

try {
  await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "429 please" }] });
  result.rateLimit = { thrown: false };
} catch (e) {
  result.rateLimit = {
    thrown: true,
    isRateLimitError: e instanceof OpenAI.RateLimitError,
    status: e.status,
    code: e.code ?? null,
    retryAfterMs: e.headers?.get("retry-after-ms") ?? null,
    limitRequests: e.headers?.get("x-ratelimit-limit-requests") ?? null,
    requestId: e.headers?.get("x-request-id") ?? null,
  };
}

console.log(JSON.stringify(result));
