package ai.edgeai.node.source;

import ai.edgeai.node.config.CameraConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.imageio.ImageIO;

/**
 * MJPEG over HTTP ({@code multipart/x-mixed-replace}, what most IP cameras and ESP32-CAMs serve)
 * in pure Java: frames are cut at the JPEG start/end markers, so any boundary format works, and
 * only frames due under the fps limit are decoded.
 */
public final class MjpegHttpSource extends RestartingSource {

  private static final int MAX_JPEG = 16 << 20;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private volatile InputStream body;

  public MjpegHttpSource(CameraConfig camera) {
    super(camera);
  }

  @Override
  protected String runOnce() throws Exception {
    HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(URI.create(camera.source())).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (resp.statusCode() != 200) {
      resp.body().close();
      return "HTTP " + resp.statusCode() + " from " + camera.source();
    }
    int w = camera.detect().width(), h = camera.detect().height();
    try (InputStream in = new java.io.BufferedInputStream(resp.body(), 1 << 16)) {
      body = in;
      ByteArrayOutputStream jpeg = new ByteArrayOutputStream(1 << 16);
      int prev = -1;
      boolean inside = false;
      for (int b; running && (b = in.read()) >= 0; prev = b) {
        if (!inside) {
          if (prev == 0xFF && b == 0xD8) {
            inside = true;
            jpeg.reset();
            jpeg.write(0xFF);
            jpeg.write(0xD8);
          }
          continue;
        }
        jpeg.write(b);
        if (jpeg.size() > MAX_JPEG) return "no JPEG end marker within " + MAX_JPEG + " bytes: not an MJPEG stream?";
        if (prev == 0xFF && b == 0xD9) {
          inside = false;
          b = -1; // the next marker search starts fresh
          if (!dueNow()) continue;
          BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg.toByteArray()));
          if (img == null) continue; // a damaged frame is skipped, the stream goes on
          deliver(Frame.of(camera.name(), nextIndex(), now(), img, w, h));
        }
      }
    } catch (IOException e) {
      if (!running) return null;
      return "MJPEG stream " + camera.source() + " broke: " + e.getMessage();
    }
    return running ? "MJPEG stream " + camera.source() + " ended" : null;
  }

  @Override
  protected void stopInput() {
    InputStream in = body;
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // closing to unblock the reader
      }
    }
  }
}
