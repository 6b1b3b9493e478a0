using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Server.Identity;

/// <summary>
/// Fetches the certificate chain an Identity header's <c>info</c> URI points at (RFC 8224 section
/// 7.4): the signing certificate first, then intermediates. Pluggable so a deployment can serve
/// certificates from its own store and tests from memory.
/// </summary>
public interface IStirCertificateResolver
{
    /// <summary>The chain at <paramref name="info"/>, leaf first.</summary>
    /// <exception cref="StirCertificateException">The chain could not be obtained (unreachable, too large, not certificates).</exception>
    ValueTask<X509Certificate2Collection> ResolveAsync(Uri info, CancellationToken cancellationToken);
}
