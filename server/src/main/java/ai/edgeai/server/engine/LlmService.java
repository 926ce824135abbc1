package ai.edgeai.server.engine;

import ai.edgeai.llm.generate.GenerationRequest;
import ai.edgeai.llm.generate.GenerationResult;
import ai.edgeai.llm.generate.Generator;
import ai.edgeai.llm.sampling.SamplingParams;
import ai.edgeai.server.chat.ChatModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Runs generations for every front end (HTTP, MQTT) on a fixed number of slots, each a
 * {@link Generator} with its own KV cache, behind a bounded waiting line. A request takes the free
 * slot whose cache shares the longest prefix with its prompt, so a client that resends a growing
 * conversation only pays for the new turn. The model stays loaded for the service's life.
 */
public final class LlmService implements AutoCloseable {

  /**
   * @param slots generations that run at once
   * @param queueSize requests that may wait for a slot; beyond that {@link QueueFullException}
   */
  public record Limits(int slots, int queueSize) {
    public Limits {
      if (slots < 1) throw new IllegalArgumentException("slots must be >= 1, got " + slots);
      if (queueSize < 0) throw new IllegalArgumentException("queue size must be >= 0, got " + queueSize);
    }
  }

  private static final class Slot {
    final int index;
    final Generator generator;
    int[] cached = new int[0];

    Slot(int index, Generator generator) {
      this.index = index;
      this.generator = generator;
    }
  }

  private final ChatModel model;
  private final Limits limits;
  private final List<Slot> free = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition slotFreed = lock.newCondition();
  private final AtomicInteger admitted = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicLong lastDecodeRateMilli = new AtomicLong();
  private final AtomicLong recentMeanMillis = new AtomicLong(2000);
  private volatile boolean warm;

  private final Counter promptTokens;
  private final Counter promptTokensEvaluated;
  private final Counter generatedTokens;
  private final Timer ttft;
  private final Timer queueWait;
  private final DistributionSummary decodeRate;

  public LlmService(ChatModel model, Limits limits, MeterRegistry registry) {
    this.model = Objects.requireNonNull(model, "model");
    this.limits = Objects.requireNonNull(limits, "limits");
    for (int i = 0; i < limits.slots(); i++) free.add(new Slot(i, model.newGenerator()));
    promptTokens = Counter.builder("edgeai_llm_prompt_tokens").description("Prompt tokens received").register(registry);
    promptTokensEvaluated = Counter.builder("edgeai_llm_prompt_tokens_evaluated").description("Prompt tokens run through the model (the rest came from the KV cache)").register(registry);
    generatedTokens = Counter.builder("edgeai_llm_generated_tokens").description("Tokens generated").register(registry);
    ttft = Timer.builder("edgeai_llm_time_to_first_token").description("From request admission to the first streamed text, queue wait included").publishPercentiles(0.5, 0.9).register(registry);
    queueWait = Timer.builder("edgeai_llm_queue_wait").description("Time requests waited for a free slot").register(registry);
    decodeRate = DistributionSummary.builder("edgeai_llm_decode_tokens_per_second").description("Decode speed of each generation").publishPercentiles(0.5).register(registry);
    Gauge.builder("edgeai_llm_last_decode_tokens_per_second", lastDecodeRateMilli, v -> v.get() / 1000.0).description("Decode speed of the latest generation").register(registry);
    Gauge.builder("edgeai_llm_queue_depth", this, LlmService::queueDepth).description("Requests waiting for a slot").register(registry);
    Gauge.builder("edgeai_llm_slots_busy", running, AtomicInteger::get).description("Slots generating now").register(registry);
    Gauge.builder("edgeai_llm_slots", limits, Limits::slots).description("Slots configured").register(registry);
    Gauge.builder("edgeai_llm_model_warm", this, s -> s.warm ? 1 : 0).description("1 once the model has been warmed up").register(registry);
  }

  public ChatModel model() {
    return model;
  }

  public Limits limits() {
    return limits;
  }

  public int queueDepth() {
    return Math.max(0, admitted.get() - running.get());
  }

  public int busySlots() {
    return running.get();
  }

  public boolean isWarm() {
    return warm;
  }

  /**
   * Runs a short generation on every slot so the first request does not pay for page faults on the
   * mapped weights and for JIT compilation; the slots' caches are emptied afterwards.
   */
  public void warmUp() {
    lock.lock();
    try {
      model.model().warmUp(); // the kernels, compiled before the first request
      for (Slot s : free) {
        int[] prompt = model.completionPrompt("Hello");
        s.generator.generate(GenerationRequest.of(prompt, 4, SamplingParams.greedy()), t -> {});
        s.generator.reset();
        s.cached = new int[0];
      }
    } finally {
      lock.unlock();
    }
    warm = true;
  }

  /**
   * Generates, streaming text to {@code listener} on the calling thread.
   *
   * @param cancelled polled between tokens (a disconnected client)
   * @throws QueueFullException when every slot is busy and the line is full: nothing was started
   * @throws InterruptedException when interrupted while waiting for a slot
   */
  public Outcome generate(Job job, Generator.TextListener listener, BooleanSupplier cancelled) throws QueueFullException, InterruptedException {
    if (admitted.incrementAndGet() > limits.slots() + limits.queueSize()) {
      admitted.decrementAndGet();
      // A guess the client can act on: the mean duration of recent requests, at least a second.
      int retry = (int) Math.max(1, Math.min(60, (recentMeanMillis.get() + 999) / 1000));
      throw new QueueFullException(limits.queueSize(), retry);
    }
    long t0 = System.nanoTime();
    Slot slot = null;
    try {
      slot = take(job.prompt());
      long queued = System.nanoTime() - t0;
      queueWait.record(queued, TimeUnit.NANOSECONDS);
      long[] first = {-1};
      GenerationRequest req = new GenerationRequest(job.prompt(), job.maxTokens(), job.sampling(), model.stopStrings(job.stop()), true);
      GenerationResult r = slot.generator.generate(req, text -> {
        if (first[0] < 0) first[0] = System.nanoTime() - t0;
        listener.onText(text);
      }, cancelled);
      slot.cached = concat(r.promptIds(), r.generatedIds(), slot.generator.cachedTokens());
      long total = System.nanoTime() - t0;
      if (first[0] >= 0) ttft.record(first[0], TimeUnit.NANOSECONDS);
      promptTokens.increment(r.promptIds().length);
      promptTokensEvaluated.increment(r.promptTokensEvaluated());
      generatedTokens.increment(r.generatedIds().length);
      double rate = r.decodeTokensPerSecond();
      if (rate > 0) {
        decodeRate.record(rate);
        lastDecodeRateMilli.set(Math.round(rate * 1000));
      }
      recentMeanMillis.set((recentMeanMillis.get() * 3 + total / 1_000_000) / 4);
      return new Outcome(r, queued, first[0], total, slot.index);
    } finally {
      if (slot != null) release(slot);
      admitted.decrementAndGet();
    }
  }

  private Slot take(int[] prompt) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (free.isEmpty()) slotFreed.await();
      Slot best = free.get(0);
      int bestLen = -1;
      for (Slot s : free) {
        int l = commonPrefix(s.cached, prompt);
        if (l > bestLen) {
          best = s;
          bestLen = l;
        }
      }
      free.remove(best);
      running.incrementAndGet();
      return best;
    } finally {
      lock.unlock();
    }
  }

  private void release(Slot s) {
    lock.lock();
    try {
      running.decrementAndGet();
      free.add(s);
      slotFreed.signal();
    } finally {
      lock.unlock();
    }
  }

  static int commonPrefix(int[] a, int[] b) {
    int n = Math.min(a.length, b.length), i = 0;
    while (i < n && a[i] == b[i]) i++;
    return i;
  }

  private static int[] concat(int[] a, int[] b, int length) {
    int[] out = new int[Math.min(length, a.length + b.length)];
    for (int i = 0; i < out.length; i++) out[i] = i < a.length ? a[i] : b[i - a.length];
    return out;
  }

  @Override
  public void close() {
    model.close();
  }
}
