package ai.edgeai.cli.track;

import ai.edgeai.vision.tracking.KalmanTracker;
import ai.edgeai.vision.tracking.TrackerConfig;
import ai.edgeai.vision.tracking.mot.MotFile;
import ai.edgeai.vision.tracking.mot.MotRecord;
import ai.edgeai.vision.tracking.mot.SeqInfo;
import ai.edgeai.vision.tracking.mot.MotTracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code edgeai track run}: detections file in, MOTChallenge tracker output out. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs SORT or ByteTrack on a MOTChallenge detection file (frame,-1,x,y,w,h,score,...) and",
      "writes frame,id,x,y,w,h,score,-1,-1,-1. Frames run 1..seqLength when a seqinfo.ini is found",
      "next to the file or one folder up, else up to the last detection. Parameters: docs/tracking.md."
    })
public final class TrackRunCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--det", required = true, paramLabel = "DET", description = "detections (det.txt)")
  Path det;

  @Option(names = "--out", required = true, paramLabel = "PRED", description = "tracker output file to write")
  Path out;

  @Option(names = "--tracker", defaultValue = "bytetrack", paramLabel = "sort|bytetrack",
      description = "preset (default: ${DEFAULT-VALUE})")
  String tracker;

  @Option(names = "--params", split = ",", paramLabel = "NAME=VALUE",
      description = "override preset parameters, e.g. maxAge=30,minHits=1,iouThreshold=0.3")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--frame-rate", paramLabel = "FPS",
      description = "frames per second for track timestamps (default: seqinfo.ini's frameRate, else 30)")
  Double frameRate;

  @Override
  public Integer call() throws Exception {
    TrackerConfig config;
    try {
      config = TrackerConfig.preset(tracker).with(params);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!Files.isRegularFile(det)) throw new java.io.FileNotFoundException("detections not found: " + det);
    List<MotRecord> detections = MotFile.read(det);
    SeqInfo info = findSeqInfo(det);
    double fps = frameRate != null ? frameRate : (info != null && info.frameRate() > 0 ? info.frameRate() : 30);
    int frames = info == null ? 0 : info.seqLength();
    List<MotRecord> tracks = MotTracking.run(new KalmanTracker(config), detections, frames, fps, det.toString());
    MotFile.writeTracks(out, tracks);
    long ids = tracks.stream().mapToInt(MotRecord::id).distinct().count();
    spec.commandLine().getOut().printf("%s: %d boxes, %d tracks written to %s%n",
        config.association().name().toLowerCase(java.util.Locale.ROOT), tracks.size(), ids, out);
    return 0;
  }

  private static SeqInfo findSeqInfo(Path file) throws java.io.IOException {
    Path dir = file.toAbsolutePath().getParent();
    for (int up = 0; up < 2 && dir != null; up++, dir = dir.getParent()) {
      Path ini = dir.resolve("seqinfo.ini");
      if (Files.isRegularFile(ini)) return SeqInfo.read(ini);
    }
    return null;
  }
}
