using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace VRPerception.Core.Tests
{
    /// <summary>
    /// An in-memory duplex stream for driver tests: records writes and plays
    /// back responses, a clean close or an error that the test pushes.
    /// </summary>
    internal sealed class FakeDuplexStream<TRequest, TResponse> : IDuplexStream<TRequest, TResponse>
    {
        private sealed class Incoming
        {
            public TResponse Response;
            public bool Closed;
            public Exception Error;
        }

        private readonly object gate = new object();
        private readonly List<TRequest> written = new List<TRequest>();
        private readonly ConcurrentQueue<Incoming> incoming = new ConcurrentQueue<Incoming>();
        private readonly SemaphoreSlim incomingSignal = new SemaphoreSlim(0);
        private volatile bool ended;

        public bool IsDisposed { get; private set; }

        public TResponse Current { get; private set; }

        /// <summary>Copy of the requests written so far, in order.</summary>
        public List<TRequest> Written
        {
            get
            {
                lock (gate)
                {
                    return new List<TRequest>(written);
                }
            }
        }

        public Task WriteAsync(TRequest message)
        {
            if (ended)
            {
                var failed = new TaskCompletionSource<bool>();
                failed.SetException(new InvalidOperationException("can't write the message because the call is complete"));
                return failed.Task;
            }
            lock (gate)
            {
                written.Add(message);
            }
            return Task.FromResult(true);
        }

        public async Task<bool> MoveNextAsync(CancellationToken cancellationToken)
        {
            await incomingSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
            Incoming item;
            incoming.TryDequeue(out item);
            if (item.Error != null)
            {
                throw item.Error;
            }
            if (item.Closed)
            {
                return false;
            }
            Current = item.Response;
            return true;
        }

        public void Respond(TResponse response)
        {
            Push(new Incoming { Response = response });
        }

        public void Close()
        {
            ended = true;
            Push(new Incoming { Closed = true });
        }

        public void Fail(Exception error)
        {
            ended = true;
            Push(new Incoming { Error = error });
        }

        public void Dispose()
        {
            IsDisposed = true;
        }

        /// <summary>Waits until at least <paramref name="count"/> requests were written; false on timeout.</summary>
        public bool WaitForWrites(int count, int timeoutMs = 5000)
        {
            return WaitUntil(() => Written.Count >= count, timeoutMs);
        }

        public static bool WaitUntil(Func<bool> condition, int timeoutMs = 5000)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.ElapsedMilliseconds > timeoutMs)
                {
                    return false;
                }
                Thread.Sleep(2);
            }
            return true;
        }

        private void Push(Incoming item)
        {
            incoming.Enqueue(item);
            incomingSignal.Release();
        }
    }
}
