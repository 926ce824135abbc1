package ai.edgeai.server.http;

/**
 * How the HTTP server listens and what it accepts.
 *
 * @param host address to bind (127.0.0.1 by default: only this machine can call it)
 * @param port TCP port (0 = any free port)
 * @param apiKey when set, every API call needs {@code Authorization: Bearer <key>}
 * @param maxBodyBytes largest request body accepted
 * @param maxTokensLimit largest {@code max_tokens} a request may ask for
 * @param defaultMaxTokens {@code max_tokens} when a request gives none
 */
public record ServerOptions(String host, int port, String apiKey, int maxBodyBytes, int maxTokensLimit, int defaultMaxTokens) {

  public static final int DEFAULT_PORT = 11435;

  public ServerOptions {
    if (host == null || host.isBlank()) throw new IllegalArgumentException("host must not be empty");
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    if (apiKey != null && apiKey.isBlank()) apiKey = null;
    if (maxBodyBytes < 1024) throw new IllegalArgumentException("max body size must be >= 1024 bytes, got " + maxBodyBytes);
    if (maxTokensLimit < 1) throw new IllegalArgumentException("max tokens limit must be >= 1, got " + maxTokensLimit);
    if (defaultMaxTokens < 1 || defaultMaxTokens > maxTokensLimit) {
      throw new IllegalArgumentException("default max tokens must be between 1 and " + maxTokensLimit + ", got " + defaultMaxTokens);
    }
  }

  public static ServerOptions defaults() {
    return new ServerOptions("127.0.0.1", DEFAULT_PORT, null, 1 << 20, 4096, 512);
  }

  public ServerOptions withPort(int p) {
    return new ServerOptions(host, p, apiKey, maxBodyBytes, maxTokensLimit, defaultMaxTokens);
  }

  public ServerOptions withApiKey(String key) {
    return new ServerOptions(host, port, key, maxBodyBytes, maxTokensLimit, defaultMaxTokens);
  }

  public ServerOptions withMaxTokensLimit(int limit) {
    return new ServerOptions(host, port, apiKey, maxBodyBytes, limit, Math.min(defaultMaxTokens, limit));
  }

  public ServerOptions withMaxBodyBytes(int n) {
    return new ServerOptions(host, port, apiKey, n, maxTokensLimit, defaultMaxTokens);
  }
}
