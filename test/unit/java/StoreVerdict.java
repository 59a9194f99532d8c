import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import java.io.*;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.*;

/**
 * Ground truth for the store rules: what the products do with a jdbc.password secret reference, on the libraries they
 * use (Jackson 2.14 and Gson 2.10 from Debian). Input lines: "<store> <base64 of a properties file's bytes>"; the file
 * is loaded with java.util.Properties.load(InputStream) (ISO-8859-1, as the products load it), jdbc.password is taken,
 * {ENC} is removed, and the rest goes to the store's parser exactly as the store classes call it
 * (atlassian-secret-stores.md §3). Output lines: "OK" or "ERR <why>".
 *
 * Replicas of the parameter classes, as the reference describes them:
 * - AWS (AwsSecretsManagerParams): Jackson, region and secretId required, secretPointer and endpointOverride optional,
 *   no ignore-unknown annotation; new ObjectMapper() defaults.
 * - Vault (VaultParams): Jackson, mount/path/key/endpoint required, authenticationType an enum TOKEN|KUBERNETES.
 * - algorithm / AES-only (DecryptionParameters): new Gson().fromJson(json, DecryptionParameters.class).
 *
 * "ERR" when the parser throws, or when what it yields cannot work: null, a required value missing or blank, a URI the
 * SDK or the Vault client cannot use, Base64 that does not decode. Where the reference marks a fact UNCONFIRMED (an
 * empty secretPointer; empty file paths of the algorithm store, which an environment variable may replace), the
 * forgiving reading is taken, as the extension's rules take it.
 */
public class StoreVerdict {
  public static final class AwsParams {
    final String region, secretId, secretPointer, endpointOverride;

    @JsonCreator
    AwsParams(
        @JsonProperty(value = "region", required = true) String region,
        @JsonProperty(value = "secretId", required = true) String secretId,
        @JsonProperty("secretPointer") String secretPointer,
        @JsonProperty("endpointOverride") String endpointOverride) {
      this.region = region;
      this.secretId = secretId;
      this.secretPointer = secretPointer;
      this.endpointOverride = endpointOverride;
    }
  }

  public enum AuthenticationType { TOKEN, KUBERNETES }

  public static final class VaultParams {
    final String mount, path, key, endpoint;
    final AuthenticationType authenticationType;

    @JsonCreator
    VaultParams(
        @JsonProperty(value = "mount", required = true) String mount,
        @JsonProperty(value = "path", required = true) String path,
        @JsonProperty(value = "key", required = true) String key,
        @JsonProperty(value = "endpoint", required = true) String endpoint,
        @JsonProperty("authenticationType") AuthenticationType authenticationType) {
      this.mount = mount;
      this.path = path;
      this.key = key;
      this.endpoint = endpoint;
      this.authenticationType = authenticationType;
    }
  }

  public static final class DecryptionParameters {
    String keyFilePath;
    String sealedObjectFilePath;
    String serializedSealedObject;
    String algorithm;
    String algorithmKey;
  }

  /**
   * Null or empty: unusable. (Whether a blank region or secret name is valid is AWS's business, not the parser's; a
   * Vault key of spaces is a legal key.)
   */
  static String blankOrNull(String name, String value) {
    return value == null ? name + " missing (null)" : value.isEmpty() ? name + " empty" : null;
  }

  static String httpUri(String name, String value) {
    try {
      URI uri = URI.create(value);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
        return name + " not an absolute http(s) URI";
      }
      return null;
    } catch (IllegalArgumentException e) {
      return name + " invalid URI";
    }
  }

  static String verdict(String store, String json) throws Exception {
    switch (store) {
      case "aws": {
        AwsParams p = new ObjectMapper().readValue(json, AwsParams.class);
        if (p == null) return "null";
        String why = blankOrNull("region", p.region);
        if (why == null) why = blankOrNull("secretId", p.secretId);
        if (why == null && p.secretPointer != null && !p.secretPointer.isEmpty()) {
          JsonPointer.compile(p.secretPointer.startsWith("/") ? p.secretPointer : "/" + p.secretPointer);
        }
        if (why == null && p.endpointOverride != null) why = httpUri("endpointOverride", p.endpointOverride);
        return why;
      }
      case "vault": {
        VaultParams p = new ObjectMapper().readValue(json, VaultParams.class);
        if (p == null) return "null";
        String why = blankOrNull("mount", p.mount);
        if (why == null) why = blankOrNull("path", p.path);
        if (why == null) why = blankOrNull("key", p.key);
        if (why == null) why = blankOrNull("endpoint", p.endpoint);
        if (why == null) why = httpUri("endpoint", p.endpoint);
        return why;
      }
      case "algorithm": {
        DecryptionParameters p = new Gson().fromJson(json, DecryptionParameters.class);
        if (p == null) return "null";
        if (p.serializedSealedObject != null) {
          if (p.serializedSealedObject.isEmpty()) return "serializedSealedObject empty";
          Base64.getDecoder().decode(p.serializedSealedObject);
        }
        return null;
      }
      default:
        throw new IllegalArgumentException("unknown store " + store);
    }
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
    Base64.Decoder dec = Base64.getDecoder();
    String line;
    while ((line = in.readLine()) != null) {
      int space = line.indexOf(' ');
      if (space < 0) continue;
      String store = line.substring(0, space);
      byte[] file = dec.decode(line.substring(space + 1));
      Properties props = new Properties();
      String result;
      try {
        props.load(new ByteArrayInputStream(file));
        String value = props.getProperty("jdbc.password");
        if (value == null) result = "ERR no jdbc.password";
        else {
          String json = value.startsWith("{ENC}") ? value.substring(5) : value;
          String why = verdict(store, json);
          result = why == null ? "OK" : "ERR " + why;
        }
      } catch (Throwable e) {
        String message = String.valueOf(e.getMessage()).split("\n")[0];
        result = "ERR " + e.getClass().getSimpleName() + ": " + (message.length() > 120 ? message.substring(0, 120) : message);
      }
      out.println(result);
    }
    out.flush();
  }
}
