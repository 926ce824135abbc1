package ai.edgeai.server.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.FatalTemplateErrorsException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model's chat template ({@code tokenizer.chat_template}, Jinja) rendered the way Hugging Face's
 * {@code apply_chat_template} renders it: {@code trim_blocks} and {@code lstrip_blocks}, loop
 * controls, {@code raise_exception}, {@code strftime_now} and a {@code tojson} that keeps non-ASCII
 * characters. Immutable and thread-safe.
 */
public final class ChatTemplate {

  /**
   * ChatML, used for models whose file carries no template (llama.cpp's default as well). It is
   * plain text to a model that was not trained on it, which is why {@link #stopStrings()} lists
   * its markers.
   */
  public static final String FALLBACK_SOURCE =
      "{%- for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{%- endfor %}"
          + "{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{%- endif %}";

  private static final String NOW_KEY = "__edgeai_now";

  private final String source;
  private final String compiled; // the source as Jinjava must see it to mean what Jinja2 means
  private final String bosToken;
  private final String eosToken;
  private final boolean fallback;
  private final Clock clock;
  private final Jinjava jinjava;

  private ChatTemplate(String source, String bosToken, String eosToken, boolean fallback, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.compiled = bindNotLoosely(source);
    this.bosToken = bosToken == null ? "" : bosToken;
    this.eosToken = eosToken == null ? "" : eosToken;
    this.fallback = fallback;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.jinjava = newJinjava();
    // Parse errors surface now, not at the first request.
    render(List.of(ChatMessage.user("x")), true, Map.of(), true);
  }

  /** A template from its Jinja source; {@code bos}/{@code eos} are the model's special tokens as text. */
  public static ChatTemplate of(String source, String bosToken, String eosToken) {
    return new ChatTemplate(source, bosToken, eosToken, false, Clock.systemDefaultZone());
  }

  /** The ChatML {@link #FALLBACK_SOURCE}. */
  public static ChatTemplate fallback(String bosToken, String eosToken) {
    return new ChatTemplate(FALLBACK_SOURCE, bosToken, eosToken, true, Clock.systemDefaultZone());
  }

  /** The same template with another clock for {@code strftime_now} (tests fix the date). */
  public ChatTemplate withClock(Clock c) {
    return new ChatTemplate(source, bosToken, eosToken, fallback, c);
  }

  public String source() {
    return source;
  }

  public boolean isFallback() {
    return fallback;
  }

  public String bosToken() {
    return bosToken;
  }

  public String eosToken() {
    return eosToken;
  }

  /**
   * Text markers that end an assistant turn in this template's format, for use as stop strings
   * when the model does not produce them as a single end-of-turn token.
   */
  public List<String> stopStrings() {
    List<String> out = new ArrayList<>();
    for (String marker : List.of("<|im_end|>", "<|im_start|>", "<|eot_id|>", "<end_of_turn>", "<|end|>", "[INST]", "<｜end▁of▁sentence｜>")) {
      if (source.contains(marker)) out.add(marker);
    }
    return out;
  }

  public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
    return render(messages, addGenerationPrompt, Map.of());
  }

  /**
   * Renders a conversation.
   *
   * @param extra further variables (e.g. {@code tools})
   * @throws TemplateException when the template raises an error or cannot be rendered
   */
  public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extra) {
    return render(messages, addGenerationPrompt, extra, false);
  }

  private String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extra, boolean probe) {
    Map<String, Object> ctx = new LinkedHashMap<>(extra);
    List<Map<String, Object>> msgs = new ArrayList<>();
    for (ChatMessage m : messages) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("role", m.role());
      o.put("content", m.content());
      msgs.add(o);
    }
    ctx.put("messages", msgs);
    ctx.put("add_generation_prompt", addGenerationPrompt);
    ctx.put("bos_token", bosToken);
    ctx.put("eos_token", eosToken);
    // Templates test "strftime_now is defined" before calling it (Llama 3.2); a function alone is not a variable.
    ctx.put("strftime_now", "strftime_now");
    ctx.put(NOW_KEY, ZonedDateTime.now(clock));
    RenderResult r;
    try {
      r = jinjava.renderForResult(compiled, ctx);
    } catch (FatalTemplateErrorsException e) {
      throw fromErrors(e.getErrors());
    } catch (TemplateRaised e) {
      throw new TemplateException(e.getMessage(), true);
    } catch (RuntimeException e) {
      TemplateRaised raised = findRaised(e);
      if (raised != null) throw new TemplateException(raised.getMessage(), true);
      throw new TemplateException("chat template failed: " + e.getMessage(), false);
    }
    List<TemplateError> fatal = r.getErrors().stream().filter(err -> err.getSeverity() == TemplateError.ErrorType.FATAL).toList();
    if (!fatal.isEmpty()) {
      // A probe render with a dummy conversation may legitimately be refused by the template.
      if (probe && fatal.stream().anyMatch(err -> findRaised(err.getException()) != null)) return "";
      throw fromErrors(fatal);
    }
    return r.getOutput();
  }

  private static final Pattern TAG = Pattern.compile("\\{[{%].*?[%}]\\}", Pattern.DOTALL);
  private static final Pattern NOT_IS = Pattern.compile("\\bnot\\s+([A-Za-z_][\\w.]*(?:\\[[^\\]]*\\][\\w.]*)*)\\s+is\\s+(not\\s+)?([A-Za-z_]\\w*)");

  /**
   * In Jinja2 {@code not x is defined} means {@code not (x is defined)}: tests bind tighter than
   * {@code not}. Jinjava reads it as {@code (not x) is defined}, which is always true, so templates
   * such as DeepSeek R1's would reset {@code add_generation_prompt}. Parenthesise those
   * expressions inside tags; everything else is left as written.
   */
  static String bindNotLoosely(String source) {
    Matcher tags = TAG.matcher(source);
    StringBuilder out = new StringBuilder();
    while (tags.find()) {
      String tag = tags.group();
      String fixed = NOT_IS.matcher(tag).replaceAll(m -> Matcher.quoteReplacement("not (" + m.group(1) + " is " + (m.group(2) == null ? "" : "not ") + m.group(3) + ")"));
      tags.appendReplacement(out, Matcher.quoteReplacement(fixed));
    }
    tags.appendTail(out);
    return out.toString();
  }

  private static TemplateException fromErrors(Iterable<TemplateError> errors) {
    TemplateError first = null;
    for (TemplateError err : errors) {
      TemplateRaised raised = findRaised(err.getException());
      if (raised != null) return new TemplateException(raised.getMessage(), true);
      if (first == null) first = err;
    }
    String where = first != null && first.getLineno() > 0 ? " (line " + first.getLineno() + ")" : "";
    return new TemplateException("chat template failed" + where + ": " + (first == null ? "unknown error" : first.getMessage()), false);
  }

  private static TemplateRaised findRaised(Throwable t) {
    for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
      if (t instanceof TemplateRaised r) return r;
    }
    return null;
  }

  private static Jinjava newJinjava() {
    JinjavaConfig config = JinjavaConfig.newBuilder()
        .withTrimBlocks(true)
        .withLstripBlocks(true)
        .withFailOnUnknownTokens(false)
        .withMaxOutputSize(4L << 20)
        .withLegacyOverrides(LegacyOverrides.newBuilder()
            .withUseNaturalOperatorPrecedence(true)
            .withParseWhitespaceControlStrictly(true)
            .withUsePyishObjectMapper(true)
            .withKeepNullableLoopValues(true)
            .withUseTrimmingForNotesAndExpressions(true)
            .build())
        .build();
    Jinjava j = new Jinjava(config);
    try {
      j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception", ChatTemplate.class.getDeclaredMethod("raiseException", String.class)));
      j.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now", ChatTemplate.class.getDeclaredMethod("strftimeNow", String.class)));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    j.getGlobalContext().registerFilter(new PythonJsonFilter());
    return j;
  }

  /** {@code raise_exception(message)}: the template refuses the conversation. */
  public static String raiseException(String message) {
    throw new TemplateRaised(message);
  }

  /** {@code strftime_now(format)}: the current time in Python's strftime format. */
  public static String strftimeNow(String format) {
    JinjavaInterpreter interpreter = JinjavaInterpreter.getCurrent();
    Object now = interpreter == null ? null : interpreter.getContext().get(NOW_KEY);
    return Strftime.format(now instanceof ZonedDateTime z ? z : ZonedDateTime.now(), format);
  }

  /** Thrown by {@code raise_exception}; carries the template's own message. */
  static final class TemplateRaised extends RuntimeException {
    TemplateRaised(String message) {
      super(message, null, false, false);
    }
  }
}
