using System.Text;
using Vcm.Drivers;

namespace Vcm.Agent.Linux.Images.Micro;

/// <summary>
/// The modules of an unpacked kernel package (lib/modules/RELEASE/): which are built in, where each loadable one
/// is, and in which order a set of them must be loaded — each after the modules it depends on (the "depends="
/// field of its .modinfo section), since the guest loads them with plain insmod (no modprobe, no depmod).
/// </summary>
public sealed class KernelModules
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _builtin = new(StringComparer.Ordinal);

    private KernelModules(string release)
    {
        Release = release;
    }

    /// <summary>The kernel release (uname -r), e.g. 6.1.0-56-cloud-amd64.</summary>
    public string Release { get; }

    public static KernelModules Load(DebianPackage kernel)
    {
        var modules = Directory.GetDirectories(kernel.Local("/lib/modules"));
        if (modules.Length != 1)
        {
            throw new DriverException($"{kernel.Name} has {modules.Length} module trees under /lib/modules, not one.", terminal: true);
        }

        var result = new KernelModules(Path.GetFileName(modules[0]));
        foreach (var file in Directory.EnumerateFiles(Path.Combine(modules[0], "kernel"), "*.ko*", SearchOption.AllDirectories))
        {
            result._files[NameOf(file)] = file;
        }

        var builtin = Path.Combine(modules[0], "modules.builtin");
        if (File.Exists(builtin))
        {
            result._builtin.UnionWith(File.ReadAllLines(builtin).Where(l => l.Length > 0).Select(NameOf));
        }

        return result;
    }

    /// <summary>The modules to load for <paramref name="wanted"/>, dependencies first; built-in ones are left out.</summary>
    public IReadOnlyList<KernelModule> LoadOrder(IEnumerable<string> wanted)
    {
        var order = new List<KernelModule>();
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in wanted)
        {
            Visit(Normalize(name), order, visiting, done);
        }

        return order;
    }

    private void Visit(string name, List<KernelModule> order, HashSet<string> visiting, HashSet<string> done)
    {
        if (done.Contains(name) || _builtin.Contains(name))
        {
            return;
        }

        if (!visiting.Add(name))
        {
            throw new DriverException($"kernel module {name} depends on itself through its dependencies.", terminal: true);
        }

        if (!_files.TryGetValue(name, out var file))
        {
            throw new DriverException($"kernel {Release} has no module {name}.", terminal: true);
        }

        if (!file.EndsWith(".ko", StringComparison.Ordinal))
        {
            throw new DriverException($"kernel module {Path.GetFileName(file)} is compressed; the micro guest loads plain .ko files only.", terminal: true);
        }

        foreach (var dependency in Dependencies(file))
        {
            Visit(dependency, order, visiting, done);
        }

        visiting.Remove(name);
        done.Add(name);
        order.Add(new KernelModule(name, file));
    }

    private static IEnumerable<string> Dependencies(string file)
    {
        var modinfo = ElfFile.Read(file).Section(".modinfo")
            ?? throw new DriverException($"kernel module {file} has no .modinfo section.", terminal: true);
        foreach (var field in Encoding.UTF8.GetString(modinfo).Split('\0'))
        {
            if (field.StartsWith("depends=", StringComparison.Ordinal))
            {
                return field["depends=".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Normalize);
            }
        }

        return [];
    }

    private static string NameOf(string path)
    {
        var name = Path.GetFileName(path);
        return Normalize(name[..name.IndexOf(".ko", StringComparison.Ordinal)]);
    }

    private static string Normalize(string name) => name.Replace('-', '_');
}
