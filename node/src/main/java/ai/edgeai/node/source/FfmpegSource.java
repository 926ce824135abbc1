package ai.edgeai.node.source;

import ai.edgeai.node.config.CameraConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Video files, RTSP/RTMP/HTTP/UDP streams and V4L2 devices through one {@code ffmpeg} process per
 * camera (as Frigate does), which decodes, samples to the camera's fps and scales to the detection
 * size, piping raw rgb24 frames. When the process dies it is restarted with back-off and the
 * camera reported offline with ffmpeg's last error line.
 */
public final class FfmpegSource extends RestartingSource {

  private final String ffmpeg;
  private volatile Process process;

  public FfmpegSource(CameraConfig camera, String ffmpeg) {
    super(camera);
    this.ffmpeg = ffmpeg;
  }

  /** The command line for this camera. */
  List<String> command() {
    String src = camera.source();
    String lower = src.toLowerCase(Locale.ROOT);
    List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin"));
    if (lower.startsWith("rtsp://") || lower.startsWith("rtsps://")) {
      cmd.addAll(List.of("-rtsp_transport", "tcp", "-timeout", "10000000"));
    } else if (lower.startsWith("/dev/video")) {
      cmd.addAll(List.of("-f", "v4l2"));
    } else if (!lower.contains("://") || lower.startsWith("file:")) {
      // A file plays at its own speed (-re), endlessly when looping, like a live camera would.
      cmd.add("-re");
      if (camera.loop()) cmd.addAll(List.of("-stream_loop", "-1"));
    } else if (lower.startsWith("http://") || lower.startsWith("https://")) {
      cmd.addAll(List.of("-reconnect", "1", "-rw_timeout", "10000000"));
    }
    int w = camera.detect().width(), h = camera.detect().height();
    cmd.addAll(List.of("-i", src, "-an", "-vf", "fps=" + camera.fps() + ",scale=" + w + ":" + h,
        "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"));
    return cmd;
  }

  @Override
  protected String runOnce() throws Exception {
    int w = camera.detect().width(), h = camera.detect().height();
    Process p = new ProcessBuilder(command()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    process = p;
    var errors = new ArrayDeque<String>();
    Thread drain = Thread.ofPlatform().daemon(true).name("ffmpeg-stderr-" + camera.name()).start(() -> {
      try (var r = p.errorReader(StandardCharsets.UTF_8)) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (errors) {
            errors.addLast(line);
            if (errors.size() > 5) errors.removeFirst();
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    });
    int frameBytes = w * h * 3;
    try (InputStream in = p.getInputStream()) {
      while (running) {
        byte[] buf = in.readNBytes(frameBytes);
        if (buf.length < frameBytes) break;
        if (!dueNow()) continue;
        deliver(new Frame(camera.name(), nextIndex(), now(), w, h, buf));
      }
    } finally {
      p.destroy();
      if (!p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
      drain.join(1000);
    }
    if (!running) return null;
    int code = p.exitValue();
    String last;
    synchronized (errors) {
      last = errors.isEmpty() ? "" : ": " + errors.getLast();
    }
    if (code == 0 && !camera.loop() && !camera.source().contains("://")) return null; // a file played once
    return "ffmpeg exited with " + describeExit(code) + last;
  }

  private static String describeExit(int code) {
    return code > 128 ? "signal " + (code - 128) : "code " + code;
  }

  /** Process id of the running ffmpeg, or -1. */
  public long pid() {
    Process p = process;
    return p != null && p.isAlive() ? p.pid() : -1;
  }

  @Override
  protected void stopInput() {
    Process p = process;
    if (p != null) p.destroyForcibly();
  }
}
