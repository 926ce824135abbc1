package ai.edgeai.cli.doctor;

import ai.edgeai.cli.BuildInfo;
import ai.edgeai.cli.Main;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code edgeai doctor}: what this device can do, measured. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Reports what this device can do: CPU and SIMD features, memory, disk, JVM, whether the "
          + "Vector API is fast, measured memory bandwidth, and the state of optional parts "
          + "(ONNX Runtime, ffmpeg, MQTT broker).",
      "Exit code 0 even when optional parts are missing; the report says how to fix them."
    })
public final class DoctorCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the report as JSON (fields in docs/cli.md).")
  boolean json;

  @Option(names = "--bandwidth-mib", paramLabel = "MIB",
      description = "Size of each of the three memory-bandwidth arrays in MiB "
          + "(default: ${DEFAULT-VALUE}, less when memory is short); 0 skips the measurement.",
      defaultValue = "" + Doctor.DEFAULT_BANDWIDTH_MIB)
  int bandwidthMib;

  @Override
  public Integer call() throws Exception {
    if (bandwidthMib < 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--bandwidth-mib must be 0 or more, got " + bandwidthMib);
    }
    DoctorReport report = new Doctor(main.config(), bandwidthMib).examine(BuildInfo.version());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(report));
    } else {
      out.print(DoctorText.render(report));
    }
    out.flush();
    return Main.EXIT_OK;
  }
}
