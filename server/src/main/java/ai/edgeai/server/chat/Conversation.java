package ai.edgeai.server.chat;

import ai.edgeai.llm.generate.GenerationRequest;
import ai.edgeai.llm.generate.GenerationResult;
import ai.edgeai.llm.generate.Generator;
import ai.edgeai.llm.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A multi-turn chat with one model. It keeps its own KV cache: each turn re-renders the whole
 * conversation, and the generator only evaluates the tokens after the longest prefix already in
 * the cache (normally just the end of the last answer and the new user turn).
 *
 * <p>Context overflow: when the conversation plus the tokens reserved for the answer no longer
 * fit, the oldest user/assistant exchanges are dropped (the system prompt always stays) and the
 * reply says how many messages went. Not thread-safe: one conversation, one caller.
 */
public final class Conversation {

  /**
   * One answer.
   *
   * @param text the assistant's text (added to the conversation)
   * @param result the generation's tokens, stop reason and timings
   * @param droppedMessages messages removed from the start of the conversation to make room
   */
  public record Reply(String text, GenerationResult result, int droppedMessages) {}

  private final ChatModel model;
  private final Generator generator;
  private final List<ChatMessage> turns = new ArrayList<>(); // without the system prompt
  private String system;
  private int droppedTotal;

  public Conversation(ChatModel model) {
    this.model = Objects.requireNonNull(model, "model");
    this.generator = model.newGenerator();
  }

  public ChatModel model() {
    return model;
  }

  /** Sets (or with null/blank removes) the system prompt; later turns keep using the cache up to the change. */
  public void setSystem(String text) {
    system = text == null || text.isBlank() ? null : text;
  }

  public String system() {
    return system;
  }

  /** The conversation as the template sees it. */
  public List<ChatMessage> messages() {
    List<ChatMessage> all = new ArrayList<>();
    if (system != null) all.add(ChatMessage.system(system));
    all.addAll(turns);
    return all;
  }

  /** Forgets every turn and the cache; the system prompt stays. */
  public void reset() {
    turns.clear();
    generator.reset();
    droppedTotal = 0;
  }

  /** Tokens currently in this conversation's KV cache. */
  public int cachedTokens() {
    return generator.cachedTokens();
  }

  /** Messages dropped for room since the start or the last reset. */
  public int droppedMessages() {
    return droppedTotal;
  }

  /**
   * Adds a user turn and generates the answer.
   *
   * @param maxTokens the most tokens to generate; also the room kept free in the context (at most half of it)
   * @throws ContextOverflowException when the system prompt and this turn alone do not fit
   * @throws TemplateException when the template refuses the conversation
   */
  public Reply send(String userText, int maxTokens, SamplingParams sampling, List<String> stop, Generator.TextListener listener, BooleanSupplier cancelled) {
    Objects.requireNonNull(userText, "userText");
    int reserve = Math.min(maxTokens, model.contextLength() / 2);
    List<ChatMessage> kept = new ArrayList<>(turns);
    kept.add(ChatMessage.user(userText));
    int dropped = 0;
    int[] prompt;
    while (true) {
      List<ChatMessage> msgs = new ArrayList<>();
      if (system != null) msgs.add(ChatMessage.system(system));
      msgs.addAll(kept);
      prompt = model.chatPrompt(msgs);
      if (prompt.length + reserve <= model.contextLength()) break;
      if (kept.size() <= 1) throw new ContextOverflowException(prompt.length, reserve, model.contextLength());
      // Drop a whole exchange so roles keep alternating (templates such as Gemma's insist).
      int n = kept.size() >= 3 && kept.get(1).role().equals("assistant") ? 2 : 1;
      for (int i = 0; i < n; i++) kept.remove(0);
      dropped += n;
    }
    GenerationRequest req = new GenerationRequest(prompt, maxTokens, sampling, model.stopStrings(stop), true);
    GenerationResult r = generator.generate(req, listener, cancelled);
    turns.clear();
    turns.addAll(kept);
    turns.add(ChatMessage.assistant(r.text()));
    droppedTotal += dropped;
    return new Reply(r.text(), r, dropped);
  }
}
