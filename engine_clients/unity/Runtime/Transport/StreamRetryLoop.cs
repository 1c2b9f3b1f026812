using System;
using System.Threading;
using System.Threading.Tasks;
using Grpc.Core;
using VRPerception.Core;

namespace VRPerception.Transport
{
    /// <summary>
    /// Runs one streaming call after another until cancelled, waiting a
    /// backoff delay between them, and stops on an error that a retry cannot fix.
    /// </summary>
    public static class StreamRetryLoop
    {
        /// <param name="runStream">Opens one stream and returns when it ends; it calls
        /// <c>backoff.Reset()</c> once the stream has delivered a result.</param>
        /// <param name="backoff">Delays between attempts; used only from this loop's flow.</param>
        /// <param name="onRetry">Receives the status and the delay in seconds before the next attempt.</param>
        /// <param name="onFatal">Receives the error that ended the loop: a status that a retry cannot
        /// fix (INVALID_ARGUMENT, FAILED_PRECONDITION, UNIMPLEMENTED, ...) or the last attempt's error.</param>
        public static async Task RunAsync(
            Func<CancellationToken, Task> runStream,
            ReconnectBackoff backoff,
            Action<Status, double> onRetry,
            Action<Status> onFatal,
            CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Status status;
                try
                {
                    await runStream(cancellationToken).ConfigureAwait(false);
                    // The server closed the stream without an error, for example while shutting down.
                    status = new Status(StatusCode.Unavailable, "stream ended by the server");
                }
                catch (RpcException error)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                    status = error.Status;
                }
                catch (OperationCanceledException)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                    status = new Status(StatusCode.Cancelled, "stream cancelled");
                }
                catch (Exception error)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                    // Transport failures that Grpc.Net.Client does not wrap, such as
                    // a write after the connection dropped.
                    status = new Status(StatusCode.Unknown, error.GetType().Name + ": " + error.Message);
                }

                double delaySeconds;
                bool retryable = ReconnectBackoff.IsRetryable(ProtoConversions.ToRpcStatusCode(status.StatusCode))
                    || status.StatusCode == StatusCode.Cancelled;
                if (!retryable || !backoff.TryNextDelay(out delaySeconds))
                {
                    onFatal(status);
                    return;
                }
                onRetry(status, delaySeconds);
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
