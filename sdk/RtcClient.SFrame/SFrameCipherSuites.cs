using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace RtcClient.SFrame;

/// <summary>
/// Lookup of cipher suite constants and of the registry names used in call directives
/// (e.g. <c>"AES_128_GCM_SHA256_128"</c>).
/// </summary>
public static class SFrameCipherSuites
{
    /// <summary>Every suite this implementation supports, in registry order.</summary>
    public static IReadOnlyList<SFrameCipherSuite> All { get; } =
    [
        SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80,
        SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_64,
        SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_32,
        SFrameCipherSuite.AES_128_GCM_SHA256_128,
        SFrameCipherSuite.AES_256_GCM_SHA512_128,
    ];

    /// <summary>Returns the constants of a registered suite.</summary>
    /// <returns><see langword="false"/> for a value that is not a supported suite.</returns>
    public static bool TryGetParameters(SFrameCipherSuite suite, out SFrameCipherSuiteParameters parameters)
    {
        parameters = suite switch
        {
            SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_80 => new(suite, HashAlgorithmName.SHA256, 32, 16, 48, 12, 10),
            SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_64 => new(suite, HashAlgorithmName.SHA256, 32, 16, 48, 12, 8),
            SFrameCipherSuite.AES_128_CTR_HMAC_SHA256_32 => new(suite, HashAlgorithmName.SHA256, 32, 16, 48, 12, 4),
            SFrameCipherSuite.AES_128_GCM_SHA256_128 => new(suite, HashAlgorithmName.SHA256, 32, 0, 16, 12, 16),
            SFrameCipherSuite.AES_256_GCM_SHA512_128 => new(suite, HashAlgorithmName.SHA512, 64, 0, 32, 12, 16),
            _ => default,
        };
        return parameters.Nk != 0;
    }

    /// <summary>Returns the constants of a registered suite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a supported suite.</exception>
    public static SFrameCipherSuiteParameters GetParameters(SFrameCipherSuite suite) =>
        TryGetParameters(suite, out var parameters)
            ? parameters
            : throw new ArgumentOutOfRangeException(nameof(suite), suite, "Not a supported SFrame cipher suite.");

    /// <summary>Constants of the suite an options object names; an unsupported one is an argument error.</summary>
    internal static SFrameCipherSuiteParameters GetParametersForOptions(SFrameCipherSuite suite, string paramName) =>
        TryGetParameters(suite, out var parameters)
            ? parameters
            : throw new ArgumentException($"Unsupported cipher suite {suite}.", paramName);

    /// <summary>Whether the value is a suite this implementation supports.</summary>
    public static bool IsSupported(SFrameCipherSuite suite) => TryGetParameters(suite, out _);

    /// <summary>The registry name of a suite, as it appears in call directives.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a supported suite.</exception>
    public static string GetName(SFrameCipherSuite suite) =>
        IsSupported(suite)
            ? suite.ToString()
            : throw new ArgumentOutOfRangeException(nameof(suite), suite, "Not a supported SFrame cipher suite.");

    /// <summary>Parses a registry name (exact, case-sensitive), as found in a directive.</summary>
    public static bool TryParseName([NotNullWhen(true)] string? name, out SFrameCipherSuite suite)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.Ordinal))
            {
                suite = candidate;
                return true;
            }
        }

        suite = default;
        return false;
    }
}
