using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace VRPerception.Core
{
    /// <summary>Ends a duplex streaming call whose writer and reader run as separate tasks.</summary>
    public static class DuplexCallCompletion
    {
        // How long a failed writer waits for the reader to see the call's status.
        private static readonly TimeSpan ReaderGracePeriod = TimeSpan.FromMilliseconds(500);

        /// <summary>
        /// Awaits <paramref name="writing"/> and then <paramref name="reading"/>,
        /// cancels <paramref name="call"/> (the token source of the call) so no
        /// pending operation outlives it, and rethrows the error that ended the call.
        /// </summary>
        /// <remarks>
        /// A gRPC write fails with a generic error once the call is over, while
        /// the reader receives the status the server ended the call with, so the
        /// reader's exception wins over the writer's error.
        /// </remarks>
        public static async Task FinishAsync(
            Task writing, Task reading, CancellationTokenSource call, CancellationToken cancellationToken)
        {
            Exception writeError = null;
            try
            {
                await writing.ConfigureAwait(false);
            }
            catch (Exception error)
            {
                if (error is OperationCanceledException)
                {
                    call.Cancel();
                    throw;
                }
                writeError = error;
            }

            if (writeError != null)
            {
                await Task.WhenAny(reading, Task.Delay(ReaderGracePeriod, cancellationToken)).ConfigureAwait(false);
                call.Cancel();
                if (reading.IsFaulted)
                {
                    await reading.ConfigureAwait(false);
                }
                ExceptionDispatchInfo.Capture(writeError).Throw();
            }
            // The writer returns only after the reader finished. Cancelling
            // releases the writer's pending waits so they cannot take later input.
            call.Cancel();
            await reading.ConfigureAwait(false);
        }
    }
}
