package io.github.ostree4j.transport;

import io.github.ostree4j.oci.Digest;
import io.github.ostree4j.transport.internal.sigstore.DockerRef;
import io.github.ostree4j.transport.internal.sigstore.IdentityMatcher;
import io.github.ostree4j.transport.internal.sigstore.PolicyScopes;
import io.github.ostree4j.transport.internal.sigstore.SignatureAttachments;
import io.github.ostree4j.transport.internal.sigstore.SimpleSigningPayload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks an image against a containers-policy.json before anything of it is used, as
 * containers-image does for podman and skopeo: every requirement of the scope that applies to the
 * image ({@link SignaturePolicy#scopeFor}) must accept it.
 *
 * <p>A {@code sigstoreSigned} requirement accepts the image when at least one of its cosign
 * signatures (the {@code sha256-<hex>.sig} attachment of the top-level manifest; for registries
 * only when registries.d enables {@code use-sigstore-attachments} for the image) has a payload
 * signed by one of the requirement's keys, names the digest of the manifest exactly as fetched,
 * and names an identity the {@code signedIdentity} rule accepts. When none does, the reason given
 * is containers-image's: "A signature was required, but no signature exists", the one rejection,
 * or all of them.
 *
 * <pre>{@code
 * PolicyVerifier v = PolicyVerifier.load(options);
 * try (ImageSource src = ImageTransports.openSource(ref, options)) {
 *   ManifestResponse top = src.manifest();
 *   v.verify(src, top, ref.toString());   // throws SignatureVerificationException
 *   ... import using exactly these manifest bytes ...
 * }
 * }</pre>
 */
public final class PolicyVerifier {

  private final SignaturePolicy policy;
  private final String policySource;
  private final RegistriesConfig registries;

  /**
   * The outcome of a successful check.
   *
   * @param scope the policy scope that applied
   * @param acceptedSignature the identity of the accepted signature, when a signature was needed
   */
  public record Result(String scope, Optional<String> acceptedSignature) {}

  private PolicyVerifier(SignaturePolicy policy, String policySource, RegistriesConfig registries) {
    this.policy = policy;
    this.policySource = policySource;
    this.registries = registries;
  }

  /**
   * A verifier for a policy.
   *
   * @param policy the policy
   * @param registries where signatures are read from
   * @return the verifier
   */
  public static PolicyVerifier of(SignaturePolicy policy, RegistriesConfig registries) {
    return new PolicyVerifier(Objects.requireNonNull(policy, "policy"), policy.source(),
        Objects.requireNonNull(registries, "registries"));
  }

  /**
   * The verifier the options name: their policy file and registries.d, or the defaults. A policy
   * file named in the options must exist; when the default file does not exist, images are not
   * checked (as if it said {@code insecureAcceptAnything}), except that {@link #requireEnforcing}
   * refuses.
   *
   * @param options the options
   * @return the verifier
   * @throws NoSuchFileException when the named policy file does not exist
   * @throws PolicyFormatException when a file is not valid
   * @throws IOException when a file cannot be read
   */
  public static PolicyVerifier load(TransportOptions options) throws IOException {
    Path file = options.signaturePolicy().orElse(null);
    SignaturePolicy p;
    String source;
    if (file != null) {
      p = SignaturePolicy.load(file);
      source = file.toString();
    } else {
      Path def = SignaturePolicy.defaultPath();
      source = def.toString();
      p = Files.exists(def) ? SignaturePolicy.load(def) : null;
    }
    RegistriesConfig r = RegistriesConfig.load(
        options.registriesDirectory().orElseGet(RegistriesConfig::defaultDirectory));
    return new PolicyVerifier(p, source, r);
  }

  /**
   * The policy.
   *
   * @return the policy, or empty when the default policy file does not exist
   */
  public Optional<SignaturePolicy> policy() {
    return Optional.ofNullable(policy);
  }

  /**
   * Refuses to go on with a policy that would accept an unsigned image, for references that
   * demand verification ({@code ostree-image-signed:}): a missing policy file, a {@code default}
   * of only {@code insecureAcceptAnything} (as ostree-ext refuses it) or such a scope for the
   * image.
   *
   * @param ref the image
   * @param shown how the image was named, for messages
   * @throws SignatureVerificationException when the policy does not enforce signatures
   */
  public void requireEnforcing(ImageReference ref, String shown)
      throws SignatureVerificationException {
    if (policy == null) {
      throw new SignatureVerificationException(shown, "(none)", "no containers-policy.json at "
          + policySource + "; a signed image reference needs a policy that requires signatures");
    }
    SignaturePolicy.Scope def = policy.defaultScope();
    if (def.acceptsAnything()) {
      throw new SignatureVerificationException(shown, def.name(), "containers-policy.json "
          + policySource + " specifies a default of insecureAcceptAnything; refusing usage"
          + " (set the default to reject and give the image's scope a sigstoreSigned"
          + " requirement)");
    }
    SignaturePolicy.Scope s = policy.scopeFor(ref);
    if (s.acceptsAnything()) {
      throw new SignatureVerificationException(shown, s.name(), "the scope accepts any image"
          + " (insecureAcceptAnything in " + policySource + "); refusing usage for a signed"
          + " image reference");
    }
  }

  /**
   * Checks an image. {@code topLevel} must be the manifest (or index) exactly as it will be used:
   * signatures are checked against its digest.
   *
   * @param src the image source (signatures are read from the same place)
   * @param topLevel the manifest the reference names, as fetched from {@code src}
   * @param shown how the image was named, for messages
   * @return the scope and the accepted signature
   * @throws SignatureVerificationException when a requirement refuses the image
   * @throws IOException when the policy's keys or the signatures cannot be read
   */
  public Result verify(ImageSource src, ManifestResponse topLevel, String shown)
      throws IOException {
    if (policy == null) {
      return new Result("(no policy file at " + policySource + ")", Optional.empty());
    }
    ImageReference ref = src.reference();
    SignaturePolicy.Scope scope = policy.scopeFor(ref);
    Optional<String> accepted = Optional.empty();
    Check check = new Check(src, topLevel, shown, scope);
    for (PolicyRequirement r : scope.requirements()) {
      if (r instanceof PolicyRequirement.InsecureAcceptAnything) {
        continue;
      }
      if (r instanceof PolicyRequirement.Reject) {
        throw check.refused("rejected by the policy (reject)");
      }
      if (r instanceof PolicyRequirement.Unsupported) {
        throw check.refused(((PolicyRequirement.Unsupported) r).feature()
            + " is not supported by ostree4j; the image cannot be verified");
      }
      accepted = Optional.of(check.sigstore((PolicyRequirement.SigstoreSigned) r));
    }
    return new Result(scope.name(), accepted);
  }

  /** One image being checked; signatures are read once. */
  private final class Check {
    private final ImageSource src;
    private final ManifestResponse top;
    private final String shown;
    private final SignaturePolicy.Scope scope;
    private List<SignatureAttachments.Layer> signatures;
    private String noneHint = "";

    Check(ImageSource src, ManifestResponse top, String shown, SignaturePolicy.Scope scope) {
      this.src = src;
      this.top = top;
      this.shown = shown;
      this.scope = scope;
    }

    SignatureVerificationException refused(String reason) {
      return new SignatureVerificationException(shown, scope.name(), reason);
    }

    String sigstore(PolicyRequirement.SigstoreSigned r) throws IOException {
      List<PublicKey> keys = keys(r);
      List<SignatureAttachments.Layer> sigs = signatures();
      Optional<DockerRef> image = PolicyScopes.dockerReference(src.reference());
      List<String> rejections = new ArrayList<>();
      for (SignatureAttachments.Layer l : sigs) {
        String why = check(l, keys, r.signedIdentity(), image);
        if (why.startsWith("+")) {
          return why.substring(1);
        }
        rejections.add(why);
      }
      if (rejections.isEmpty()) {
        throw refused("A signature was required, but no signature exists" + noneHint);
      }
      if (rejections.size() == 1) {
        throw refused(rejections.get(0));
      }
      throw refused("None of the signatures were accepted, reasons: "
          + String.join("; ", rejections));
    }

    private List<PublicKey> keys(PolicyRequirement.SigstoreSigned r)
        throws SignatureVerificationException {
      List<PublicKey> keys = new ArrayList<>();
      for (String p : r.keyPaths()) {
        try {
          keys.addAll(CosignKeys.readPublicKeys(Path.of(p)));
        } catch (NoSuchFileException e) {
          throw refused("the policy's public key file " + p + " does not exist");
        } catch (IOException e) {
          throw refused(e.getMessage());
        }
      }
      int i = 0;
      for (byte[] d : r.keyData()) {
        try {
          keys.addAll(CosignKeys.decodePublicKeys(d, "keyData[" + i++ + "] of the policy"));
        } catch (KeyFileException e) {
          throw refused(e.getMessage());
        }
      }
      return keys;
    }

    private List<SignatureAttachments.Layer> signatures() throws IOException {
      if (signatures != null) {
        return signatures;
      }
      ImageReference ref = src.reference();
      if (ref.isRegistry() && !registries.useSigstoreAttachments(ref)) {
        noneHint = " (sigstore signatures of " + ref.registry() + "/" + ref.repository()
            + " are not read: registries.d does not set use-sigstore-attachments: true for it)";
        signatures = List.of();
        return signatures;
      }
      Optional<SignatureAttachments.Attachment> a;
      try {
        a = SignatureAttachments.read(src, top.digest());
      } catch (SignatureVerificationException e) {
        throw e;
      } catch (IOException e) {
        throw new SignatureVerificationException(shown, scope.name(),
            "reading the signatures failed: " + e.getMessage(), e);
      }
      signatures = a.map(SignatureAttachments.Attachment::layers).orElse(List.of());
      if (a.isEmpty()) {
        noneHint = " (no " + SignatureAttachments.tag(top.digest()) + " signature attachment)";
      }
      return signatures;
    }

    /** "+IDENTITY" when accepted, else the reason. */
    private String check(SignatureAttachments.Layer l, List<PublicKey> keys, SignedIdentity rule,
        Optional<DockerRef> image) {
      if (!SimpleSigningPayload.MEDIA_TYPE.equals(l.mediaType())) {
        return "unexpected MIME type for sigstore signature: " + l.mediaType();
      }
      String b64 = l.annotations().get(SignatureAttachments.SIGNATURE_ANNOTATION);
      if (b64 == null) {
        return "missing " + SignatureAttachments.SIGNATURE_ANNOTATION + " annotation";
      }
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(b64);
      } catch (IllegalArgumentException e) {
        return "the signature annotation is not base64";
      }
      if (!verifiedByAny(keys, l.payload(), sig)) {
        return "cryptographic signature verification failed (not signed by the policy's key"
            + (keys.size() == 1 ? "" : "s") + ")";
      }
      SimpleSigningPayload p;
      try {
        p = SimpleSigningPayload.parse(l.payload());
      } catch (IOException e) {
        return "invalid signature payload: " + e.getMessage();
      }
      Digest signed;
      try {
        signed = Digest.parse(p.manifestDigest());
      } catch (IOException e) {
        return "signature names an invalid manifest digest '" + p.manifestDigest() + "'";
      }
      Digest actual = Digest.of(signedDigester(signed, top.bytes()));
      if (!actual.equals(signed)) {
        return "signature for manifest digest " + signed + " does not match the image ("
            + top.digest() + ")";
      }
      if (!IdentityMatcher.matches(rule, image, p.dockerReference())) {
        return "signature for identity " + p.dockerReference() + " is not accepted (signedIdentity "
            + rule.type() + ", image "
            + image.map(DockerRef::toString).orElse("without a Docker reference") + ")";
      }
      return "+" + p.dockerReference();
    }
  }

  private static java.security.MessageDigest signedDigester(Digest d, byte[] bytes) {
    java.security.MessageDigest md = d.newDigester();
    md.update(bytes);
    return md;
  }

  private static boolean verifiedByAny(List<PublicKey> keys, byte[] payload, byte[] sig) {
    for (PublicKey k : keys) {
      try {
        Signature s = Signature.getInstance(CosignKeys.signatureAlgorithm(k));
        s.initVerify(k);
        s.update(payload);
        if (s.verify(sig)) {
          return true;
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // malformed signature or unusable key: not verified by this key
      }
    }
    return false;
  }
}
