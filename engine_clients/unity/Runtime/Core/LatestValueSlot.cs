using System;
using System.Threading;
using System.Threading.Tasks;

namespace VRPerception.Core
{
    /// <summary>
    /// A one-value mailbox where a newer value replaces a waiting one, so a
    /// slow consumer always gets the newest value (latest-frame-wins).
    /// Safe for one producer and one consumer on different threads.
    /// </summary>
    public sealed class LatestValueSlot<T>
    {
        private readonly object gate = new object();
        private readonly SemaphoreSlim available = new SemaphoreSlim(0, 1);
        private T value;
        private bool hasValue;
        private long dropped;

        /// <summary>Values that were replaced before a consumer took them.</summary>
        public long DroppedCount
        {
            get { return Interlocked.Read(ref dropped); }
        }

        public bool HasValue
        {
            get
            {
                lock (gate)
                {
                    return hasValue;
                }
            }
        }

        /// <summary>Stores <paramref name="newValue"/> and returns true when it replaced a value that no consumer took.</summary>
        public bool Offer(T newValue)
        {
            lock (gate)
            {
                bool replaced = hasValue;
                if (replaced)
                {
                    Interlocked.Increment(ref dropped);
                }
                value = newValue;
                hasValue = true;
                if (available.CurrentCount == 0)
                {
                    available.Release();
                }
                return replaced;
            }
        }

        /// <summary>Takes the waiting value, if any, without blocking.</summary>
        public bool TryTake(out T taken)
        {
            lock (gate)
            {
                taken = value;
                if (!hasValue)
                {
                    return false;
                }
                value = default(T);
                hasValue = false;
                return true;
            }
        }

        /// <summary>Waits until a value is offered and takes it.</summary>
        /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled first.</exception>
        public async Task<T> TakeAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                await available.WaitAsync(cancellationToken).ConfigureAwait(false);
                T taken;
                // TryTake may have emptied the slot after the signal was released.
                if (TryTake(out taken))
                {
                    return taken;
                }
            }
        }
    }
}
