using RtcClient.Protocol;
using RtcClient.SFrame;

namespace RtcClient.Media;

/// <summary>Makes an advertisement's <c>e2e</c> member say what the client's options allow.</summary>
internal static class E2eAdvertisement
{
    // AEAD (GCM) suites first: full-length tags and one primitive; then the CTR+HMAC ones.
    private static readonly string[] AllSuites =
        [.. SFrameCipherSuites.All.Select(SFrameCipherSuites.GetName).OrderBy(name => name.Contains("GCM", StringComparison.Ordinal) ? 0 : 1)];

    /// <summary>
    /// Every supported SFrame suite when a key provider is set (none otherwise), and
    /// <see cref="RtcClientOptions.E2eRequired"/>; an explicit <c>e2e</c> member is kept as given.
    /// </summary>
    public static Advertisement Apply(Advertisement advertisement, RtcClientOptions options)
    {
        if (advertisement.E2e is not null)
            return advertisement.E2e.Required || !options.E2eRequired ? advertisement : advertisement with { E2e = advertisement.E2e with { Required = true } };
        if (options.SFrameKeyProvider is null && !options.E2eRequired)
            return advertisement;
        return advertisement with
        {
            E2e = new E2eCapabilities { SFrame = options.SFrameKeyProvider is null ? [] : AllSuites, Required = options.E2eRequired },
        };
    }
}
