package ai.edgeai.node.mqtt;

import ai.edgeai.node.outbox.Outbox;
import ai.edgeai.node.outbox.OutboxMessage;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Sends the outbox over MQTT in order with at most {@code maxInFlight} unacknowledged QoS 1
 * messages, deleting each one from the outbox when the broker acknowledges it. When a send fails
 * (connection lost, session gone), it waits for the in-flight window to drain and starts again
 * from the oldest pending message, so order is kept and nothing is skipped; the price is a
 * possible duplicate, which consumers recognise by its {@code event_id}.
 */
public final class OutboxSender implements AutoCloseable {

  private final Outbox outbox;
  private final MqttPublisher mqtt;
  private final int maxInFlight;
  private final Consumer<String> log;
  private final Thread thread;
  private final TreeSet<Long> inFlight = new TreeSet<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private long cursor = -1;
  private boolean rewind;
  private volatile boolean running = true;

  public OutboxSender(Outbox outbox, MqttPublisher mqtt, int maxInFlight, Consumer<String> log) {
    this.outbox = outbox;
    this.mqtt = mqtt;
    this.maxInFlight = maxInFlight;
    this.log = log;
    mqtt.onConnect(this::wake);
    thread = Thread.ofPlatform().name("outbox-sender").daemon(true).unstarted(this::loop);
  }

  public void start() {
    thread.start();
  }

  private synchronized void wake() {
    notifyAll();
  }

  private void loop() {
    while (running) {
      try {
        OutboxMessage msg = nextToSend();
        if (msg == null) continue;
        mqtt.publish(msg.topic(), msg.payload(), 1, msg.retain()).whenComplete((ok, err) -> done(msg, err));
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (!running) return;
        log.accept("outbox sender: " + e.getMessage());
        sleepQuietly(500);
      }
    }
  }

  /** Blocks until a message may be sent; returns null to re-check (after timeouts). */
  private OutboxMessage nextToSend() throws InterruptedException {
    synchronized (this) {
      if (!mqtt.isConnected() || inFlight.size() >= maxInFlight || rewind && !inFlight.isEmpty()) {
        wait(200);
        return null;
      }
      if (rewind) {
        cursor = -1;
        rewind = false;
      }
      Optional<OutboxMessage> next = outbox.next(cursor);
      if (next.isPresent()) {
        OutboxMessage m = next.get();
        inFlight.add(m.seq());
        cursor = m.seq();
        return m;
      }
    }
    outbox.awaitAppend(cursor, 200);
    return null;
  }

  private void done(OutboxMessage msg, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    synchronized (this) {
      inFlight.remove(msg.seq());
      if (cause == null) {
        outbox.ack(msg.seq());
        sent.incrementAndGet();
      } else if (cause instanceof Mqtt5PubAckException e) {
        // The broker received it and said no (e.g. not authorised for the topic): retrying cannot help.
        outbox.ack(msg.seq());
        rejected.incrementAndGet();
        log.accept("mqtt: broker rejected message on " + msg.topic() + ": " + e.getMqttMessage().getReasonCode());
      } else if (running) {
        rewind = true;
      }
      notifyAll();
    }
  }

  /** Messages acknowledged by the broker since start. */
  public long sent() {
    return sent.get();
  }

  /** Messages the broker refused (PUBACK with an error code); counted and dropped. */
  public long rejected() {
    return rejected.get();
  }

  public synchronized int inFlight() {
    return inFlight.size();
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
