using System.Text.Json.Serialization;

namespace Turnstone.TestSupport.Clients;

/// <summary>What the two-RTCPeerConnection page saw (returned from the page as JSON).</summary>
public sealed record WebRtcRelayResult
{
    /// <summary>The data channel opened within the time limit.</summary>
    [JsonPropertyName("opened")] public bool Opened { get; init; }

    [JsonPropertyName("sent")] public int Sent { get; init; }

    /// <summary>Echoes received back on the offering side (each message goes there and back through the relay).</summary>
    [JsonPropertyName("echoed")] public int Echoed { get; init; }

    /// <summary>candidateType of the selected pair's local candidate ("relay" expected).</summary>
    [JsonPropertyName("localCandidateType")] public string? LocalCandidateType { get; init; }

    [JsonPropertyName("remoteCandidateType")] public string? RemoteCandidateType { get; init; }

    /// <summary>How the local relay candidate reaches the TURN server: "udp", "tcp" or "tls".</summary>
    [JsonPropertyName("localRelayProtocol")] public string? LocalRelayProtocol { get; init; }

    [JsonPropertyName("localAddress")] public string? LocalAddress { get; init; }

    [JsonPropertyName("remoteAddress")] public string? RemoteAddress { get; init; }

    [JsonPropertyName("iceConnectionState")] public string? IceConnectionState { get; init; }

    /// <summary>Candidates each side gathered (a:..., b:...), for diagnosis.</summary>
    [JsonPropertyName("candidates")] public IReadOnlyList<string> Candidates { get; init; } = [];

    /// <summary>icecandidateerror events ("url code text"): Chromium's only hint when the TURN server refuses something.</summary>
    [JsonPropertyName("candidateErrors")] public IReadOnlyList<string> CandidateErrors { get; init; } = [];

    [JsonPropertyName("error")] public string? Error { get; init; }

    public bool IsRelayPair => LocalCandidateType == "relay" && RemoteCandidateType == "relay";

    /// <summary>Everything, for assertion messages.</summary>
    public override string ToString() =>
        $"opened={Opened} sent={Sent} echoed={Echoed} pair={LocalCandidateType}/{RemoteCandidateType} via {LocalRelayProtocol} " +
        $"local={LocalAddress} remote={RemoteAddress} ice={IceConnectionState} error={Error} " +
        $"candidates=[{string.Join("; ", Candidates)}] candidateErrors=[{string.Join("; ", CandidateErrors)}]";
}
