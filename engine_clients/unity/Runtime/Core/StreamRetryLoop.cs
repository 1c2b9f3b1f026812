using System;
using System.Threading;
using System.Threading.Tasks;

namespace VRPerception.Core
{
    /// <summary>
    /// Runs one streaming call after another until cancelled, waiting a
    /// backoff delay between them, and stops on an error that a retry cannot fix.
    /// </summary>
    public static class StreamRetryLoop
    {
        /// <param name="runStream">Opens one stream and returns when the server closes it; it calls
        /// <c>backoff.Reset()</c> once the stream has delivered a result.</param>
        /// <param name="backoff">Delays between attempts. Only this loop and <paramref name="runStream"/>
        /// use it, never at the same time.</param>
        /// <param name="classify">Maps an exception from <paramref name="runStream"/> to a status.</param>
        /// <param name="onRetry">Receives the failure and the delay in seconds before the next attempt.</param>
        /// <param name="onFatal">Receives the failure that ended the loop: a status that a retry cannot
        /// fix (INVALID_ARGUMENT, FAILED_PRECONDITION, UNIMPLEMENTED, ...) or the last allowed attempt's.</param>
        /// <returns>A task that completes when the loop stops; it never faults.</returns>
        public static async Task RunAsync(
            Func<CancellationToken, Task> runStream,
            ReconnectBackoff backoff,
            Func<Exception, StreamFailure> classify,
            Action<StreamFailure, double> onRetry,
            Action<StreamFailure> onFatal,
            CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                StreamFailure failure;
                try
                {
                    await runStream(cancellationToken).ConfigureAwait(false);
                    // The server closed the stream without an error, for example while shutting down.
                    failure = new StreamFailure(RpcStatusCode.Unavailable, "stream closed by the server");
                }
                catch (Exception error)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                    failure = error is OperationCanceledException
                        ? new StreamFailure(RpcStatusCode.Cancelled, "stream cancelled")
                        : classify(error);
                }

                // A cancellation this loop did not ask for comes from the transport, so retry it.
                bool retryable = ReconnectBackoff.IsRetryable(failure.Code) || failure.Code == RpcStatusCode.Cancelled;
                double delaySeconds;
                if (!retryable || !backoff.TryNextDelay(out delaySeconds))
                {
                    onFatal(failure);
                    return;
                }
                onRetry(failure, delaySeconds);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(delaySeconds), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
