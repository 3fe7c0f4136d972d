namespace Turn.Relay.Requests;

/// <summary>Why a request was dropped by a per-source limit (the <c>turn.limit</c> attribute of <c>turn.requests.limited</c>).</summary>
internal enum RequestLimit
{
    /// <summary>The source's or prefix's budget of unauthenticated answers was spent (<see cref="UnauthenticatedAnswerBudget"/>).</summary>
    UnauthenticatedAnswer,

    /// <summary>The source or prefix already had its share of requests in the asynchronous stages (<see cref="RequestAdmission"/>).</summary>
    SourceInFlight,

    /// <summary>A source without an allocation sent requests faster than its rate (<see cref="SourceRequestRate"/>): dropped unread.</summary>
    SourceRequestRate,
}
