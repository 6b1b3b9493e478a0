using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace RtcClient.Server.Identity;

/// <summary>Certificate chains kept in memory by URI: for tests, and for deployments that know their peers' certificates.</summary>
public sealed class InMemoryStirCertificateResolver : IStirCertificateResolver
{
    private readonly ConcurrentDictionary<string, X509Certificate2Collection> _chains = new(StringComparer.Ordinal);

    /// <summary>Serves <paramref name="chain"/> (leaf first) at <paramref name="info"/>.</summary>
    public void Add(Uri info, params X509Certificate2[] chain)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Length == 0)
            throw new ArgumentException("a chain has at least the signing certificate", nameof(chain));
        _chains[info.AbsoluteUri] = [.. chain];
    }

    /// <inheritdoc />
    public ValueTask<X509Certificate2Collection> ResolveAsync(Uri info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        return _chains.TryGetValue(info.AbsoluteUri, out var chain)
            ? ValueTask.FromResult(chain)
            : ValueTask.FromException<X509Certificate2Collection>(new StirCertificateException($"no certificate is known at {info}"));
    }
}
