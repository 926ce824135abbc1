package ai.edgeai.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ChatTemplateTest {

  static final Path DIR = Path.of("src/test/resources/server/templates");

  @TestFactory
  Stream<DynamicTest> everyTemplateRendersEveryConversationAsHuggingFaceDoes() throws IOException {
    JsonNode ref = new ObjectMapper().readTree(DIR.resolve("renderings.json").toFile());
    LocalDate date = LocalDate.parse("2026-11-26");
    assertEquals("26 Nov 2026", ref.get("fixed_date").asText());
    Clock fixed = Clock.fixed(date.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    List<DynamicTest> tests = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = ref.get("renderings").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> model = it.next();
      String name = model.getKey();
      JsonNode specials = ref.get("specials").get(name);
      ChatTemplate t = ChatTemplate.of(Files.readString(DIR.resolve(name + ".jinja")), specials.get("bos_token").asText(), specials.get("eos_token").asText()).withClock(fixed);
      for (Iterator<Map.Entry<String, JsonNode>> cases = model.getValue().fields(); cases.hasNext(); ) {
        Map.Entry<String, JsonNode> c = cases.next();
        String[] parts = c.getKey().split("\\|add_generation_prompt=");
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : ref.get("conversations").get(parts[0])) messages.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
        boolean agp = Boolean.parseBoolean(parts[1]);
        JsonNode expected = c.getValue();
        tests.add(DynamicTest.dynamicTest(name + " " + c.getKey(), () -> {
          if (expected.isObject() && expected.has("error")) {
            TemplateException e = assertThrows(TemplateException.class, () -> t.render(messages, agp));
            assertTrue(e.raisedByTemplate(), e.getMessage());
            assertEquals(expected.get("error").asText(), e.getMessage());
          } else {
            assertEquals(expected.asText(), t.render(messages, agp));
          }
        }));
      }
    }
    assertTrue(tests.size() >= 9 * 6, "cases: " + tests.size());
    return tests.stream();
  }

  @Test
  void fallbackIsChatMl() {
    ChatTemplate t = ChatTemplate.fallback("<s>", "</s>");
    assertTrue(t.isFallback());
    assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
        t.render(List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi")), true));
    assertEquals(List.of("<|im_end|>", "<|im_start|>"), t.stopStrings());
  }

  @Test
  void tojsonKeepsUnicodeAndIndents() {
    ChatTemplate t = ChatTemplate.of("{{ tools | tojson }}|{{ tools | tojson(indent=2) }}", "", "");
    Map<String, Object> tool = new java.util.LinkedHashMap<>();
    tool.put("name", "caméra");
    tool.put("n", List.of(1, 2.5, true));
    String out = t.render(List.of(ChatMessage.user("x")), false, Map.of("tools", tool));
    assertEquals("{\"name\": \"caméra\", \"n\": [1, 2.5, true]}|{\n  \"name\": \"caméra\",\n  \"n\": [\n    1,\n    2.5,\n    true\n  ]\n}", out);
  }

  @Test
  void loopControlsAndStrftime() {
    ChatTemplate t = ChatTemplate.of("{% for m in messages %}{% if loop.index0 == 1 %}{% continue %}{% endif %}{% if loop.index0 == 3 %}{% break %}{% endif %}{{ m.content }}{% endfor %}|{{ strftime_now('%Y-%m-%d %A') }}", "", "")
        .withClock(Clock.fixed(LocalDate.parse("2026-11-26").atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC));
    List<ChatMessage> msgs = List.of(ChatMessage.user("a"), ChatMessage.assistant("b"), ChatMessage.user("c"), ChatMessage.assistant("d"));
    assertEquals("ac|2026-11-26 Thursday", t.render(msgs, false));
  }

  @Test
  void brokenTemplateNamesTheProblem() {
    TemplateException e = assertThrows(TemplateException.class, () -> ChatTemplate.of("{% for m in messages %}{{ m.content }}", "", ""));
    assertTrue(e.getMessage().startsWith("chat template failed"), e.getMessage());
  }

  @Test
  void notBindsLooserThanIsAsInJinja2() {
    ChatTemplate t = ChatTemplate.of("{% if not add_generation_prompt is defined %}A{% else %}B{% endif %}{{ not messages[0]['role'] is not none }}{{ not zz is defined }}", "", "");
    assertEquals("Bfalsetrue", t.render(List.of(ChatMessage.user("x")), true));
  }
}
