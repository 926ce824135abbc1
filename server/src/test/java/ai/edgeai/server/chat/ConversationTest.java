package ai.edgeai.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.edgeai.llm.generate.GenerationRequest;
import ai.edgeai.llm.generate.GenerationResult;
import ai.edgeai.llm.generate.StopReason;
import ai.edgeai.llm.sampling.SamplingParams;
import ai.edgeai.server.TestModels;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConversationTest {

  static ChatModel model;

  @BeforeAll
  static void load() throws Exception {
    model = TestModels.stories(512);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void secondTurnOnlyEvaluatesWhatIsNotCached() {
    Conversation c = new Conversation(model);
    c.setSystem("You tell stories.");
    Conversation.Reply r1 = c.send("Once upon a time", 24, SamplingParams.greedy(), List.of(), t -> {}, () -> false);
    assertEquals(r1.result().promptIds().length, r1.result().promptTokensEvaluated(), "turn 1 evaluates its whole prompt");
    int[] cachedAfter1 = concat(r1.result().promptIds(), r1.result().generatedIds());

    Conversation.Reply r2 = c.send("The cat sat", 24, SamplingParams.greedy(), List.of(), t -> {}, () -> false);
    int[] p2 = r2.result().promptIds();
    int common = 0;
    while (common < cachedAfter1.length && common < p2.length - 1 && cachedAfter1[common] == p2[common]) common++;
    assertTrue(common >= r1.result().promptIds().length, "turn 2's prompt starts with turn 1's: common prefix " + common);
    assertEquals(p2.length - common, r2.result().promptTokensEvaluated(), "turn 2 evaluates only the tokens after the cached prefix");
    assertTrue(r2.result().promptTokensEvaluated() < p2.length - r1.result().promptIds().length + 1);

    // The same conversation from a cold cache would evaluate everything, and gives the same answer.
    GenerationResult cold = model.newGenerator().generate(new GenerationRequest(p2, 24, SamplingParams.greedy(), model.stopStrings(List.of()), true), t -> {});
    assertEquals(p2.length, cold.promptTokensEvaluated());
    assertEquals(r2.text(), cold.text());
    assertEquals(5, c.messages().size(), "system + two exchanges");
  }

  @Test
  void overflowDropsOldestTurnsButKeepsTheSystemPrompt() throws Exception {
    try (ChatModel small = TestModels.stories(160)) {
      Conversation c = new Conversation(small);
      c.setSystem("Be kind.");
      int dropped = 0;
      for (int i = 0; i < 8 && dropped == 0; i++) {
        Conversation.Reply r = c.send("Tell me about the dog number " + i, 16, SamplingParams.greedy(), List.of(), t -> {}, () -> false);
        dropped = r.droppedMessages();
        assertTrue(r.result().promptIds().length + 16 <= 160);
      }
      assertTrue(dropped >= 2, "a long conversation drops old turns");
      assertEquals(dropped % 2, 0, "whole exchanges are dropped");
      List<ChatMessage> msgs = c.messages();
      assertEquals(ChatMessage.system("Be kind."), msgs.get(0));
      assertEquals("user", msgs.get(1).role());
      assertEquals(dropped, c.droppedMessages());
    }
  }

  @Test
  void aTurnThatCannotFitIsRefused() throws Exception {
    try (ChatModel small = TestModels.stories(64)) {
      Conversation c = new Conversation(small);
      ContextOverflowException e = assertThrows(ContextOverflowException.class,
          () -> c.send("word ".repeat(200), 8, SamplingParams.greedy(), List.of(), t -> {}, () -> false));
      assertTrue(e.getMessage().contains("the context holds 64"), e.getMessage());
      assertEquals(0, c.messages().size());
    }
  }

  @Test
  void stopsOnUserStopStringsAndOnCancel() {
    Conversation c = new Conversation(model);
    Conversation.Reply free = c.send("Once upon a time", 40, SamplingParams.greedy(), List.of(), t -> {}, () -> false);
    String text = free.text();
    assertTrue(text.length() > 6, text);
    String stop = text.substring(3, 6);
    c.reset();
    Conversation.Reply stopped = c.send("Once upon a time", 40, SamplingParams.greedy(), List.of(stop), t -> {}, () -> false);
    assertEquals(StopReason.STOP, stopped.result().stopReason());
    assertEquals(text.substring(0, text.indexOf(stop)), stopped.text());
    c.reset();
    Conversation.Reply cancelled = c.send("Once upon a time", 40, SamplingParams.greedy(), List.of(), t -> {}, () -> true);
    assertEquals(StopReason.CANCELLED, cancelled.result().stopReason());
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
