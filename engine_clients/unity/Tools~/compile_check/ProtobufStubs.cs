// Declarations of the Google.Protobuf 3.21 API that the generated messages
// and the package's Transport code use, with no behaviour. They let Mono's
// mcs type-check that code on a machine without the NuGet assemblies; every
// body throws. Signatures follow the public API of the real library.
using System;
using System.Collections;
using System.Collections.Generic;

namespace Google.Protobuf
{
    public interface IDeepCloneable<T>
    {
        T Clone();
    }

    public interface IMessage
    {
        void MergeFrom(CodedInputStream input);
        void WriteTo(CodedOutputStream output);
        int CalculateSize();
        Reflection.MessageDescriptor Descriptor { get; }
    }

    public interface IMessage<T> : IMessage, IEquatable<T>, IDeepCloneable<T> where T : IMessage<T>
    {
        void MergeFrom(T message);
    }

    public interface IBufferMessage : IMessage
    {
        void InternalMergeFrom(ref ParseContext ctx);
        void InternalWriteTo(ref WriteContext ctx);
    }

    public class MessageParser
    {
    }

    public sealed class MessageParser<T> : MessageParser where T : IMessage<T>
    {
        public MessageParser(Func<T> factory) { }
        public T ParseFrom(byte[] data) { throw new NotImplementedException(); }
        public T ParseFrom(System.Buffers.ReadOnlySequence<byte> data) { throw new NotImplementedException(); }
    }

    public sealed class ByteString : IEquatable<ByteString>, IEnumerable<byte>
    {
        private ByteString() { }
        public static ByteString Empty { get { throw new NotImplementedException(); } }
        public int Length { get { throw new NotImplementedException(); } }
        public bool IsEmpty { get { throw new NotImplementedException(); } }
        public static ByteString CopyFrom(params byte[] bytes) { throw new NotImplementedException(); }
        public static ByteString CopyFrom(byte[] bytes, int offset, int count) { throw new NotImplementedException(); }
        public byte[] ToByteArray() { throw new NotImplementedException(); }
        public bool Equals(ByteString other) { throw new NotImplementedException(); }
        public override bool Equals(object obj) { throw new NotImplementedException(); }
        public override int GetHashCode() { throw new NotImplementedException(); }
        public IEnumerator<byte> GetEnumerator() { throw new NotImplementedException(); }
        IEnumerator IEnumerable.GetEnumerator() { throw new NotImplementedException(); }
        public static bool operator ==(ByteString lhs, ByteString rhs) { throw new NotImplementedException(); }
        public static bool operator !=(ByteString lhs, ByteString rhs) { throw new NotImplementedException(); }
    }

    public sealed class CodedInputStream
    {
        public uint ReadTag() { throw new NotImplementedException(); }
        public float ReadFloat() { throw new NotImplementedException(); }
        public double ReadDouble() { throw new NotImplementedException(); }
        public uint ReadUInt32() { throw new NotImplementedException(); }
        public ulong ReadUInt64() { throw new NotImplementedException(); }
        public int ReadInt32() { throw new NotImplementedException(); }
        public long ReadInt64() { throw new NotImplementedException(); }
        public bool ReadBool() { throw new NotImplementedException(); }
        public string ReadString() { throw new NotImplementedException(); }
        public ByteString ReadBytes() { throw new NotImplementedException(); }
        public int ReadEnum() { throw new NotImplementedException(); }
        public void ReadMessage(IMessage builder) { throw new NotImplementedException(); }
        public void ReadRawMessage(IMessage message) { throw new NotImplementedException(); }
    }

    public sealed class CodedOutputStream
    {
        public void WriteRawTag(byte b1) { throw new NotImplementedException(); }
        public void WriteRawTag(byte b1, byte b2) { throw new NotImplementedException(); }
        public void WriteFloat(float value) { throw new NotImplementedException(); }
        public void WriteDouble(double value) { throw new NotImplementedException(); }
        public void WriteUInt32(uint value) { throw new NotImplementedException(); }
        public void WriteUInt64(ulong value) { throw new NotImplementedException(); }
        public void WriteInt32(int value) { throw new NotImplementedException(); }
        public void WriteInt64(long value) { throw new NotImplementedException(); }
        public void WriteBool(bool value) { throw new NotImplementedException(); }
        public void WriteString(string value) { throw new NotImplementedException(); }
        public void WriteBytes(ByteString value) { throw new NotImplementedException(); }
        public void WriteEnum(int value) { throw new NotImplementedException(); }
        public void WriteMessage(IMessage value) { throw new NotImplementedException(); }
        public void WriteRawMessage(IMessage value) { throw new NotImplementedException(); }
        public static int ComputeMessageSize(IMessage value) { throw new NotImplementedException(); }
        public static int ComputeUInt32Size(uint value) { throw new NotImplementedException(); }
        public static int ComputeUInt64Size(ulong value) { throw new NotImplementedException(); }
        public static int ComputeInt32Size(int value) { throw new NotImplementedException(); }
        public static int ComputeInt64Size(long value) { throw new NotImplementedException(); }
        public static int ComputeStringSize(string value) { throw new NotImplementedException(); }
        public static int ComputeBytesSize(ByteString value) { throw new NotImplementedException(); }
        public static int ComputeEnumSize(int value) { throw new NotImplementedException(); }
    }

    // A ref struct in the real library; a plain struct is enough to check calls that pass it by ref.
    public struct ParseContext
    {
        public uint ReadTag() { throw new NotImplementedException(); }
        public float ReadFloat() { throw new NotImplementedException(); }
        public double ReadDouble() { throw new NotImplementedException(); }
        public uint ReadUInt32() { throw new NotImplementedException(); }
        public ulong ReadUInt64() { throw new NotImplementedException(); }
        public int ReadInt32() { throw new NotImplementedException(); }
        public long ReadInt64() { throw new NotImplementedException(); }
        public bool ReadBool() { throw new NotImplementedException(); }
        public string ReadString() { throw new NotImplementedException(); }
        public ByteString ReadBytes() { throw new NotImplementedException(); }
        public int ReadEnum() { throw new NotImplementedException(); }
        public void ReadMessage(IMessage message) { throw new NotImplementedException(); }
    }

    public struct WriteContext
    {
        public void WriteRawTag(byte b1) { throw new NotImplementedException(); }
        public void WriteRawTag(byte b1, byte b2) { throw new NotImplementedException(); }
        public void WriteFloat(float value) { throw new NotImplementedException(); }
        public void WriteDouble(double value) { throw new NotImplementedException(); }
        public void WriteUInt32(uint value) { throw new NotImplementedException(); }
        public void WriteUInt64(ulong value) { throw new NotImplementedException(); }
        public void WriteInt32(int value) { throw new NotImplementedException(); }
        public void WriteInt64(long value) { throw new NotImplementedException(); }
        public void WriteBool(bool value) { throw new NotImplementedException(); }
        public void WriteString(string value) { throw new NotImplementedException(); }
        public void WriteBytes(ByteString value) { throw new NotImplementedException(); }
        public void WriteEnum(int value) { throw new NotImplementedException(); }
        public void WriteMessage(IMessage value) { throw new NotImplementedException(); }
    }

    public sealed class UnknownFieldSet
    {
        private UnknownFieldSet() { }
        public static UnknownFieldSet MergeFieldFrom(UnknownFieldSet unknownFields, CodedInputStream input) { throw new NotImplementedException(); }
        public static UnknownFieldSet MergeFieldFrom(UnknownFieldSet unknownFields, ref ParseContext ctx) { throw new NotImplementedException(); }
        public static UnknownFieldSet MergeFrom(UnknownFieldSet unknownFields, UnknownFieldSet other) { throw new NotImplementedException(); }
        public static UnknownFieldSet Clone(UnknownFieldSet other) { throw new NotImplementedException(); }
        public void WriteTo(CodedOutputStream output) { throw new NotImplementedException(); }
        public void WriteTo(ref WriteContext ctx) { throw new NotImplementedException(); }
        public int CalculateSize() { throw new NotImplementedException(); }
    }

    public sealed class FieldCodec<T>
    {
        private FieldCodec() { }
    }

    public static class FieldCodec
    {
        public static FieldCodec<string> ForString(uint tag) { throw new NotImplementedException(); }
        public static FieldCodec<uint> ForUInt32(uint tag) { throw new NotImplementedException(); }
        public static FieldCodec<double> ForDouble(uint tag) { throw new NotImplementedException(); }
        public static FieldCodec<float> ForFloat(uint tag) { throw new NotImplementedException(); }
        public static FieldCodec<T> ForEnum<T>(uint tag, Func<T, int> toInt32, Func<int, T> fromInt32) { throw new NotImplementedException(); }
        public static FieldCodec<T> ForMessage<T>(uint tag, MessageParser<T> parser) where T : class, IMessage<T> { throw new NotImplementedException(); }
    }

    public static class ProtoPreconditions
    {
        public static T CheckNotNull<T>(T value, string name) where T : class { throw new NotImplementedException(); }
    }

    public sealed class JsonFormatter
    {
        public static string ToDiagnosticString(IMessage message) { throw new NotImplementedException(); }
    }

    public sealed class Extension
    {
    }

    public static class MessageExtensions
    {
        public static byte[] ToByteArray(this IMessage message) { throw new NotImplementedException(); }
        public static void WriteTo(this IMessage message, System.Buffers.IBufferWriter<byte> output) { throw new NotImplementedException(); }
    }
}

namespace Google.Protobuf.Collections
{
    public sealed class RepeatedField<T> : IList<T>, IEquatable<RepeatedField<T>>, IDeepCloneable<RepeatedField<T>>
    {
        public void AddEntriesFrom(CodedInputStream input, FieldCodec<T> codec) { throw new NotImplementedException(); }
        public void AddEntriesFrom(ref ParseContext ctx, FieldCodec<T> codec) { throw new NotImplementedException(); }
        public void WriteTo(CodedOutputStream output, FieldCodec<T> codec) { throw new NotImplementedException(); }
        public void WriteTo(ref WriteContext ctx, FieldCodec<T> codec) { throw new NotImplementedException(); }
        public int CalculateSize(FieldCodec<T> codec) { throw new NotImplementedException(); }
        public RepeatedField<T> Clone() { throw new NotImplementedException(); }
        public void AddRange(IEnumerable<T> values) { throw new NotImplementedException(); }
        public void Add(RepeatedField<T> values) { throw new NotImplementedException(); }
        public void Add(IEnumerable<T> values) { throw new NotImplementedException(); }
        public void Add(T item) { throw new NotImplementedException(); }
        public void Clear() { throw new NotImplementedException(); }
        public bool Contains(T item) { throw new NotImplementedException(); }
        public void CopyTo(T[] array, int arrayIndex) { throw new NotImplementedException(); }
        public bool Remove(T item) { throw new NotImplementedException(); }
        public int Count { get { throw new NotImplementedException(); } }
        public bool IsReadOnly { get { throw new NotImplementedException(); } }
        public int IndexOf(T item) { throw new NotImplementedException(); }
        public void Insert(int index, T item) { throw new NotImplementedException(); }
        public void RemoveAt(int index) { throw new NotImplementedException(); }
        public T this[int index] { get { throw new NotImplementedException(); } set { throw new NotImplementedException(); } }
        public IEnumerator<T> GetEnumerator() { throw new NotImplementedException(); }
        IEnumerator IEnumerable.GetEnumerator() { throw new NotImplementedException(); }
        public bool Equals(RepeatedField<T> other) { throw new NotImplementedException(); }
        public override bool Equals(object obj) { throw new NotImplementedException(); }
        public override int GetHashCode() { throw new NotImplementedException(); }
    }

    public static class ProtobufEqualityComparers
    {
        public static EqualityComparer<float> BitwiseSingleEqualityComparer { get { throw new NotImplementedException(); } }
        public static EqualityComparer<double> BitwiseDoubleEqualityComparer { get { throw new NotImplementedException(); } }
    }
}

namespace Google.Protobuf.Reflection
{
    public sealed class FileDescriptor
    {
        private FileDescriptor() { }
        public IList<MessageDescriptor> MessageTypes { get { throw new NotImplementedException(); } }
        public IList<ServiceDescriptor> Services { get { throw new NotImplementedException(); } }
        public static FileDescriptor FromGeneratedCode(
            byte[] descriptorData, FileDescriptor[] dependencies, GeneratedClrTypeInfo generatedCodeInfo) { throw new NotImplementedException(); }
    }

    public sealed class MessageDescriptor
    {
        private MessageDescriptor() { }
        public IList<MessageDescriptor> NestedTypes { get { throw new NotImplementedException(); } }
    }

    public sealed class ServiceDescriptor
    {
        private ServiceDescriptor() { }
    }

    public sealed class GeneratedClrTypeInfo
    {
        public GeneratedClrTypeInfo(Type[] generatedEnums, Extension[] extensions, GeneratedClrTypeInfo[] generatedCodeInfos) { }

        public GeneratedClrTypeInfo(
            Type clrType, MessageParser parser, string[] propertyNames, string[] oneofNames,
            Type[] nestedEnums, Extension[] extensions, GeneratedClrTypeInfo[] nestedTypes) { }
    }

    [AttributeUsage(AttributeTargets.Field)]
    public sealed class OriginalNameAttribute : Attribute
    {
        public OriginalNameAttribute(string name) { }
    }
}
