namespace RtcClient.Http3.WebTransport;

/// <summary>Which WebTransport over HTTP/3 draft a session speaks.</summary>
public enum WebTransportDialect
{
    /// <summary>draft-ietf-webtrans-http3-02, as Chromium sends it: <c>:protocol = webtransport</c> and <c>sec-webtransport-http3-draft02: 1</c>.</summary>
    Draft02 = 0,
    /// <summary>The current draft: <c>:protocol = webtransport-h3</c>, SETTINGS_WT_*, WT-Available-Protocols / WT-Protocol.</summary>
    Current = 1,
}
