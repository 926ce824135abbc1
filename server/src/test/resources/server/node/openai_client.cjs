// Drives edgeai serve with the official openai npm package, unchanged: one plain and one streamed
// chat completion. Prints one JSON line with what came back. Usage: node openai_client.cjs BASE_URL API_KEY MODEL
const OpenAI = require('openai');

async function main() {
  const [baseURL, apiKey, model] = process.argv.slice(2);
  const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60000 });
  const messages = [{ role: 'system', content: 'You tell short stories.' }, { role: 'user', content: 'Once upon a time' }];
  const plain = await client.chat.completions.create({ model, messages, max_tokens: 32, temperature: 0, seed: 7 });
  const stream = await client.chat.completions.create({ model, messages, max_tokens: 32, temperature: 0, seed: 7, stream: true, stream_options: { include_usage: true } });
  let streamed = '';
  let chunks = 0;
  let finish = null;
  let usage = null;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (choice && choice.delta && choice.delta.content) streamed += choice.delta.content;
    if (choice && choice.finish_reason) finish = choice.finish_reason;
  }
  const models = await client.models.list();
  let status = null;
  try {
    await client.chat.completions.create({ model: 'no-such-model', messages, max_tokens: 4 });
  } catch (e) {
    status = { status: e.status, code: e.code, param: e.param };
  }
  console.log(JSON.stringify({
    plain: { text: plain.choices[0].message.content, finish: plain.choices[0].finish_reason, usage: plain.usage, object: plain.object },
    stream: { text: streamed, chunks, finish, usage },
    models: models.data.map((m) => m.id),
    unknownModel: status,
  }));
}

main().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
