// Drives the official `openai` npm package against a running backoff4j mock and prints one JSON
// object with what it observed. Usage: node sdk-check.mjs NODE_MODULES_PARENT BASE_URL
// The mock must run the scenario NodeSdkCompatibilityTest installs: echo replies and a script of
// four passing requests followed by one 429 with retry-after-ms.
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
