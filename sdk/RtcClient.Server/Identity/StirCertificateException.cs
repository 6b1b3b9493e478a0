namespace RtcClient.Server.Identity;

/// <summary>A certificate chain could not be obtained from an <c>info</c> URI (a 436 Bad Identity Info).</summary>
public sealed class StirCertificateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StirCertificateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StirCertificateException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public StirCertificateException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
