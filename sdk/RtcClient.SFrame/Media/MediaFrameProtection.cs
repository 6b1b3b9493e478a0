namespace RtcClient.SFrame;

/// <summary>
/// The seam between a call and SFrame: turns the call's E2E policy and the directive's
/// <c>e2e</c> member (docs/protocol.md section 8) into the per-frame transforms the media pipeline
/// applies before packetization and after reassembly. A call that requires E2E gets SFrame or
/// nothing: there is no code path that emits clear media for it.
/// </summary>
public sealed class MediaFrameProtection : IDisposable
{
    private readonly SFrameSender? _sender;
    private readonly SFrameReceiver? _receiver;

    private MediaFrameProtection(SFrameCipherSuite? suite, IMediaFrameProtector protector, IMediaFrameUnprotector unprotector)
    {
        CipherSuite = suite;
        Protector = protector;
        Unprotector = unprotector;
        _sender = protector as SFrameSender;
        _receiver = unprotector as SFrameReceiver;
    }

    /// <summary>The negotiated suite, or <see langword="null"/> for clear media.</summary>
    public SFrameCipherSuite? CipherSuite { get; }

    /// <summary>Whether media is end-to-end encrypted.</summary>
    public bool IsEndToEndEncrypted => CipherSuite.HasValue;

    /// <summary>Applied to each outgoing encoded frame.</summary>
    public IMediaFrameProtector Protector { get; }

    /// <summary>Applied to each incoming reassembled frame.</summary>
    public IMediaFrameUnprotector Unprotector { get; }

    /// <summary>The SFrame sender when E2E is on (statistics), otherwise <see langword="null"/>.</summary>
    public SFrameSender? Sender => _sender;

    /// <summary>The SFrame receiver when E2E is on (statistics, events), otherwise <see langword="null"/>.</summary>
    public SFrameReceiver? Receiver => _receiver;

    /// <summary>Sets up protection for a call.</summary>
    /// <param name="e2eRequired">The local policy: media must never flow unencrypted end to end.</param>
    /// <param name="negotiatedSuite">The directive's <c>e2e.suite</c> (a registry name), or <see langword="null"/> when the directive's <c>e2e</c> is null.</param>
    /// <param name="keyProvider">The application's keying hook; required when a suite is negotiated.</param>
    /// <param name="protection">The transforms when the result is <see cref="MediaProtectionSetupStatus.Ready"/>.</param>
    /// <param name="receiverOptions">Optional receiver tuning; its cipher suite is overridden by the negotiated one.</param>
    public static MediaProtectionSetupStatus TryCreate(
        bool e2eRequired,
        string? negotiatedSuite,
        ISFrameKeyProvider? keyProvider,
        out MediaFrameProtection? protection,
        SFrameReceiverOptions? receiverOptions = null)
    {
        protection = null;
        if (negotiatedSuite is null)
        {
            if (e2eRequired)
            {
                return MediaProtectionSetupStatus.E2ERequiredButNotNegotiated;
            }

            protection = new MediaFrameProtection(null, ClearMediaFrameTransform.Instance, ClearMediaFrameTransform.Instance);
            return MediaProtectionSetupStatus.Ready;
        }

        if (!SFrameCipherSuites.TryParseName(negotiatedSuite, out var suite))
        {
            return MediaProtectionSetupStatus.UnsupportedCipherSuite;
        }

        if (keyProvider is null)
        {
            return MediaProtectionSetupStatus.KeyProviderMissing;
        }

        var sender = new SFrameSender(keyProvider, new SFrameSenderOptions { CipherSuite = suite });
        var receiver = new SFrameReceiver(keyProvider, new SFrameReceiverOptions
        {
            CipherSuite = suite,
            ReplayWindowSize = receiverOptions?.ReplayWindowSize ?? 128,
            MaxCachedKeys = receiverOptions?.MaxCachedKeys ?? 64,
        });
        protection = new MediaFrameProtection(suite, sender, receiver);
        return MediaProtectionSetupStatus.Ready;
    }

    /// <summary>Releases the SFrame keys.</summary>
    public void Dispose()
    {
        _sender?.Dispose();
        _receiver?.Dispose();
    }
}
