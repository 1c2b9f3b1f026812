using System;

namespace VRPerception.Core
{
    /// <summary>gRPC status codes by number, as Grpc.Core.StatusCode defines them.</summary>
    public enum RpcStatusCode
    {
        OK = 0,
        Cancelled = 1,
        Unknown = 2,
        InvalidArgument = 3,
        DeadlineExceeded = 4,
        NotFound = 5,
        AlreadyExists = 6,
        PermissionDenied = 7,
        ResourceExhausted = 8,
        FailedPrecondition = 9,
        Aborted = 10,
        OutOfRange = 11,
        Unimplemented = 12,
        Internal = 13,
        Unavailable = 14,
        DataLoss = 15,
        Unauthenticated = 16,
    }

    /// <summary>
    /// Exponential backoff with jitter for reconnecting a stream after it fails.
    /// </summary>
    /// <remarks>
    /// Delay n (from 0) is min(max, initial * multiplier^n), scaled by a random
    /// factor in [1 - jitter, 1 + jitter] and capped at max again. The random
    /// factor keeps clients that lost the same server from reconnecting in lockstep.
    /// Call <see cref="Reset"/> once a stream has delivered a result.
    /// </remarks>
    public sealed class ReconnectBackoff
    {
        public const double DefaultInitialDelaySeconds = 0.5;
        public const double DefaultMaxDelaySeconds = 30.0;
        public const double DefaultMultiplier = 2.0;
        public const double DefaultJitter = 0.2;

        private readonly double initialDelaySeconds;
        private readonly double maxDelaySeconds;
        private readonly double multiplier;
        private readonly double jitter;
        private readonly int maxAttempts;
        private readonly Func<double> nextUniform;

        /// <param name="initialDelaySeconds">First delay, in seconds, &gt; 0.</param>
        /// <param name="maxDelaySeconds">Largest delay, in seconds, &gt;= initialDelaySeconds.</param>
        /// <param name="multiplier">Growth factor per attempt, &gt;= 1.</param>
        /// <param name="jitter">Relative random spread in [0, 1).</param>
        /// <param name="maxAttempts">Attempts before <see cref="TryNextDelay"/> gives up; 0 means never.</param>
        /// <param name="nextUniform">Source of uniform values in [0, 1); null uses System.Random.</param>
        public ReconnectBackoff(
            double initialDelaySeconds = DefaultInitialDelaySeconds,
            double maxDelaySeconds = DefaultMaxDelaySeconds,
            double multiplier = DefaultMultiplier,
            double jitter = DefaultJitter,
            int maxAttempts = 0,
            Func<double> nextUniform = null)
        {
            if (!(initialDelaySeconds > 0))
            {
                throw new ArgumentOutOfRangeException("initialDelaySeconds", initialDelaySeconds, "must be > 0 seconds");
            }
            if (!(maxDelaySeconds >= initialDelaySeconds))
            {
                throw new ArgumentOutOfRangeException("maxDelaySeconds", maxDelaySeconds, "must be >= initialDelaySeconds");
            }
            if (!(multiplier >= 1))
            {
                throw new ArgumentOutOfRangeException("multiplier", multiplier, "must be >= 1");
            }
            if (!(jitter >= 0 && jitter < 1))
            {
                throw new ArgumentOutOfRangeException("jitter", jitter, "must be in [0, 1)");
            }
            if (maxAttempts < 0)
            {
                throw new ArgumentOutOfRangeException("maxAttempts", maxAttempts, "must be >= 0 (0 means unlimited)");
            }

            this.initialDelaySeconds = initialDelaySeconds;
            this.maxDelaySeconds = maxDelaySeconds;
            this.multiplier = multiplier;
            this.jitter = jitter;
            this.maxAttempts = maxAttempts;
            if (nextUniform == null)
            {
                var random = new Random();
                nextUniform = random.NextDouble;
            }
            this.nextUniform = nextUniform;
        }

        /// <summary>Number of delays handed out since construction or the last <see cref="Reset"/>.</summary>
        public int Attempt { get; private set; }

        /// <summary>Starts again from the initial delay.</summary>
        public void Reset()
        {
            Attempt = 0;
        }

        /// <summary>
        /// Returns the next delay in seconds and counts an attempt, or returns
        /// false when maxAttempts delays have already been handed out.
        /// </summary>
        public bool TryNextDelay(out double delaySeconds)
        {
            if (maxAttempts > 0 && Attempt >= maxAttempts)
            {
                delaySeconds = 0;
                return false;
            }

            double baseDelay = initialDelaySeconds * Math.Pow(multiplier, Attempt);
            if (double.IsInfinity(baseDelay) || baseDelay > maxDelaySeconds)
            {
                baseDelay = maxDelaySeconds;
            }
            double factor = 1.0 + jitter * (2.0 * nextUniform() - 1.0);
            delaySeconds = Math.Min(maxDelaySeconds, baseDelay * factor);
            Attempt++;
            return true;
        }

        /// <summary>
        /// Tells whether a call that failed with <paramref name="code"/> may
        /// succeed when repeated unchanged, following the protocol's error
        /// contract. UNAVAILABLE (server starting or stopping), DEADLINE_EXCEEDED,
        /// RESOURCE_EXHAUSTED (all stream slots taken), ABORTED and UNKNOWN
        /// (a dropped connection) are retryable. INVALID_ARGUMENT,
        /// FAILED_PRECONDITION, UNIMPLEMENTED and the rest need a change first.
        /// </summary>
        /// <remarks>
        /// RESOURCE_EXHAUSTED also reports a frame over ServerLimits, which fails
        /// again on every retry; keep frames within the handshake's limits.
        /// </remarks>
        public static bool IsRetryable(RpcStatusCode code)
        {
            switch (code)
            {
                case RpcStatusCode.Unavailable:
                case RpcStatusCode.DeadlineExceeded:
                case RpcStatusCode.ResourceExhausted:
                case RpcStatusCode.Aborted:
                case RpcStatusCode.Unknown:
                    return true;
                default:
                    return false;
            }
        }
    }
}
