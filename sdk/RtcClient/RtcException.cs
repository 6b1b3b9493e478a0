using RtcClient.Protocol;

namespace RtcClient;

/// <summary>
/// A call operation failed. When the server refused a request, <see cref="Problem"/> holds its
/// RFC 9457 problem details (status, type, detail) so the caller can tell a 404 from a 409.
/// </summary>
public sealed class RtcException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RtcException(string message, Problem? problem = null, Exception? inner = null) : base(message, inner) => Problem = problem;

    /// <summary>Creates the exception.</summary>
    public RtcException() : base("call operation failed") { }

    /// <summary>Creates the exception.</summary>
    public RtcException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public RtcException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The server's problem details, when the server refused the request.</summary>
    public Problem? Problem { get; }

    /// <summary>The HTTP status of the refusal, or 0.</summary>
    public int Status => Problem?.Status ?? 0;
}
