using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AuditWatch.Ingestion.Sources.Files;

/// <summary>
/// The inode of a file, which survives a rename: it is how a rotated log (audit.log → audit-2026-11-30T08-00.log) is
/// recognised as the file being read. Linux only, through libc's stat/fstat (st_ino is at offset 8 on x86-64 and arm64).
/// </summary>
internal static partial class FileIdentity
{
    private const int StatBufferSize = 256;
    private const int InodeOffset = 8;

    public static ulong? Of(string path)
    {
        var buffer = new byte[StatBufferSize];
        return Stat(path, buffer) == 0 ? BitConverter.ToUInt64(buffer, InodeOffset) : null;
    }

    public static ulong? Of(SafeFileHandle handle)
    {
        var buffer = new byte[StatBufferSize];
        return FStat((int)handle.DangerousGetHandle(), buffer) == 0 ? BitConverter.ToUInt64(buffer, InodeOffset) : null;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Stat(string path, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int FStat(int descriptor, [Out] byte[] buffer);
}
