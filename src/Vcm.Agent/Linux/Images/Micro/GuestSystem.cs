using System.Text;

namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>The micro guest's own files: folders, /dev/console, the scripts, root's account, the module list.</summary>
public static class GuestSystem
{
    private const int Executable = 0x1ED; // 0755
    private const int Private = 0x1C0;    // 0700

    public static void Add(Initramfs initramfs, IReadOnlyList<KernelModule> modules, string kernelRelease)
    {
        foreach (var folder in new[] { "proc", "sys", "dev", "run", "var/run", "var/log", "mnt", "etc/dropbear", "usr/bin", "usr/sbin", "sbin" })
        {
            initramfs.AddDirectory(folder);
        }

        initramfs.AddDirectory("tmp", 0x3FF);  // 01777
        initramfs.AddDirectory("root", Private);
        initramfs.AddDirectory("root/.ssh", Private);
        // the kernel opens /dev/console for /init's output before /init mounts devtmpfs
        initramfs.AddCharDevice("dev/console", 5, 1, 0x180);

        initramfs.AddFile("init", GuestScripts.Init, Executable);
        initramfs.AddFile("sbin/netup", GuestScripts.Netup, Executable);
        initramfs.AddFile("sbin/sshup", GuestScripts.Sshup, Executable);
        initramfs.AddFile("usr/share/udhcpc/default.script", GuestScripts.UdhcpcHook, Executable);

        initramfs.AddText("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
        initramfs.AddFile("etc/shadow", Encoding.UTF8.GetBytes("root:*:19000:0:99999:7:::\n"), 0x180);
        initramfs.AddText("etc/group", "root:x:0:\n");
        initramfs.AddText("etc/shells", "/bin/sh\n");
        initramfs.AddText("etc/nsswitch.conf", "passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n");
        initramfs.AddText("etc/hosts", "127.0.0.1 localhost\n");
        initramfs.AddText("etc/vcm/modules", string.Concat(modules.Select(m => m.Name + "\n")));
        initramfs.AddText("etc/vcm/image", $"image={MicroImageBuilder.ImageName}\nbuilder={MicroImageBuilder.BuilderVersion}\nkernel={kernelRelease}\n");
    }
}
