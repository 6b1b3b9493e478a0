using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Quic.Tls;

/// <summary>
/// Client-side validation of the server certificate. Either pinned SHA-256 hashes of the DER
/// certificate (like WebTransport serverCertificateHashes: chain and name are then not checked, only
/// the validity period), or an X509Chain to the system roots (or <see cref="TlsClientOptions.TrustedRoots"/>)
/// plus a host name check against the subjectAltName. The optional callback runs last in both modes.
/// Nothing is ever skipped silently: every failure is a <see cref="TlsAlertException"/>.
/// </summary>
internal static class TlsCertificateValidation
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Validates <paramref name="leaf"/> (with <paramref name="intermediates"/>) for <paramref name="options"/>.</summary>
    public static void Validate(TlsClientOptions options, X509Certificate2 leaf, IReadOnlyList<X509Certificate2> intermediates, DateTime now)
    {
        X509Chain? chain = null;
        try
        {
            if (options.PinnedCertificateSha256.Count > 0)
            {
                var hash = SHA256.HashData(leaf.RawData);
                bool pinned = false;
                foreach (var pin in options.PinnedCertificateSha256)
                    pinned |= CryptographicOperations.FixedTimeEquals(pin, hash);
                if (!pinned) throw new TlsAlertException(TlsAlert.BadCertificate, "server certificate matches no pinned SHA-256 hash");
                if (now < leaf.NotBefore.ToUniversalTime() || now > leaf.NotAfter.ToUniversalTime())
                    throw new TlsAlertException(TlsAlert.CertificateExpired, "pinned server certificate is outside its validity period");
            }
            else
            {
                chain = BuildChain(options, leaf, intermediates, now);
                if (!leaf.MatchesHostname(options.ServerName, allowWildcards: true, allowCommonName: false))
                    throw new TlsAlertException(TlsAlert.BadCertificate, $"server certificate is not valid for '{options.ServerName}'");
            }

            if (options.CertificateValidator is { } validator && !validator(leaf, chain))
                throw new TlsAlertException(TlsAlert.BadCertificate, "server certificate rejected by the validation callback");
        }
        catch (TlsAlertException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new TlsAlertException(TlsAlert.BadCertificate, "server certificate validation failed: " + e.Message, e);
        }
        finally
        {
            chain?.Dispose();
        }
    }

    private static X509Chain BuildChain(TlsClientOptions options, X509Certificate2 leaf, IReadOnlyList<X509Certificate2> intermediates, DateTime now)
    {
        var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck; // no network fetches from inside a handshake
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.ToLocalTime();
        policy.ApplicationPolicy.Add(new Oid(ServerAuthenticationOid));
        foreach (var c in intermediates) policy.ExtraStore.Add(c);
        if (options.TrustedRoots is { Count: > 0 } roots)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(roots);
        }

        if (chain.Build(leaf)) return chain;

        var flags = X509ChainStatusFlags.NoError;
        foreach (var s in chain.ChainStatus) flags |= s.Status;
        chain.Dispose();
        byte alert =
            (flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0 ? TlsAlert.UnknownCa
            : (flags & X509ChainStatusFlags.NotTimeValid) != 0 ? TlsAlert.CertificateExpired
            : (flags & X509ChainStatusFlags.NotValidForUsage) != 0 ? TlsAlert.UnsupportedCertificate
            : TlsAlert.BadCertificate;
        throw new TlsAlertException(alert, $"server certificate chain is not trusted ({flags})");
    }
}
