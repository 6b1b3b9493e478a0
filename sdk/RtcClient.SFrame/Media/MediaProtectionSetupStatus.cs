namespace RtcClient.SFrame;

/// <summary>Outcome of setting up media protection for a call.</summary>
public enum MediaProtectionSetupStatus
{
    /// <summary>Protection is in place (SFrame, or clear media where E2E is neither negotiated nor required).</summary>
    Ready,

    /// <summary>The local side requires E2E but the directive carries no SFrame suite: the call must fail, no media flows.</summary>
    E2ERequiredButNotNegotiated,

    /// <summary>The directive names a suite this implementation does not support.</summary>
    UnsupportedCipherSuite,

    /// <summary>SFrame was negotiated but the application supplied no key provider.</summary>
    KeyProviderMissing,
}
