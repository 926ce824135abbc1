package ai.edgeai.server.http;

/**
 * A request the server refuses, in OpenAI's error vocabulary.
 *
 * @param status HTTP status
 * @param type OpenAI's error type ({@code invalid_request_error}, {@code authentication_error}, ...)
 * @param code machine-readable code, or null
 * @param param the request field at fault, or null
 */
public final class ApiError extends RuntimeException {

  final int status;
  final String type;
  final String code;
  final String param;
  final int retryAfterSeconds;

  public ApiError(int status, String type, String code, String param, String message) {
    this(status, type, code, param, message, 0);
  }

  ApiError(int status, String type, String code, String param, String message, int retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public static ApiError invalid(String param, String message) {
    return new ApiError(400, "invalid_request_error", "invalid_value", param, message);
  }

  static ApiError missing(String param) {
    return new ApiError(400, "invalid_request_error", "missing_required_parameter", param, "'" + param + "' is required");
  }

  public int status() {
    return status;
  }

  public String param() {
    return param;
  }

  public String type() {
    return type;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The refusal for a full queue. */
  public static ApiError queueFull(String message, int retryAfterSeconds) {
    return new ApiError(429, "rate_limit_exceeded", "queue_full", null, message, retryAfterSeconds);
  }

  public String code() {
    return code;
  }
}
