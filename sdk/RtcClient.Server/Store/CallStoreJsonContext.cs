using System.Text.Json.Serialization;

namespace RtcClient.Server.Store;

/// <summary>Source-generated JSON for <see cref="CallRecord"/>, for stores that keep records as documents.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CallRecord))]
public sealed partial class CallStoreJsonContext : JsonSerializerContext
{
}
