import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

/**
 * Reference oracle for the differential test: reads test cases (one line each: "C" + Base64), loads each with
 * java.util.Properties.load(Reader), and prints "OK n" plus n lines "base64(key) base64(value)", or "ERR message".
 */
public class PropsDump {
  public static void main(String[] args) throws Exception {
    Base64.Decoder dec = Base64.getDecoder();
    Base64.Encoder enc = Base64.getEncoder();
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(Paths.get(args[0]), StandardCharsets.US_ASCII)) {
      if (!line.startsWith("C")) continue;
      String text = new String(dec.decode(line.substring(1)), StandardCharsets.UTF_8);
      Properties p = new Properties();
      try {
        p.load(new StringReader(text));
      } catch (IllegalArgumentException e) {
        out.append("ERR ").append(e.getMessage()).append('\n');
        continue;
      }
      out.append("OK ").append(p.size()).append('\n');
      for (String key : p.stringPropertyNames()) {
        out.append(enc.encodeToString(key.getBytes(StandardCharsets.UTF_8))).append(' ')
           .append(enc.encodeToString(p.getProperty(key).getBytes(StandardCharsets.UTF_8))).append('\n');
      }
    }
    System.out.print(out);
  }
}
