namespace RtcClient.Media.Io;

/// <summary>PortAudio reported an error or the requested device does not exist.</summary>
public sealed class PortAudioException : Exception
{
    /// <summary>Creates the exception for PortAudio error <paramref name="error"/> in <paramref name="operation"/>.</summary>
    public PortAudioException(string operation, int error)
        : base($"{operation} failed: {RtcClient.Native.PortAudio.PortAudioNative.ErrorText(error)} ({error})") => Error = error;

    /// <summary>Creates the exception with a message.</summary>
    public PortAudioException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public PortAudioException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public PortAudioException() : this("PortAudio error")
    {
    }

    /// <summary>The PortAudio error code (negative), or 0.</summary>
    public int Error { get; }
}
