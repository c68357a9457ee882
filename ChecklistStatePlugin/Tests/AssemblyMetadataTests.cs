using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Xunit;

namespace Work365.ChecklistStatePlugin.Tests
{
    /// <summary>
    /// The net462 DLL as Dataverse's sandbox gets it: signed with the project's key, bound to the
    /// real SDK's identity, and referencing only SDK members the facade declares the same way.
    /// </summary>
    public sealed class AssemblyMetadataTests
    {
        private static string Metadata(string key) =>
            typeof(AssemblyMetadataTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

        private static readonly string PluginDll = Metadata("PluginNet462");
        private static readonly string FacadeDll = Metadata("FacadeNet462");
        private static readonly string KeyFile = Path.Combine(StateVectorTests.RepositoryRoot, "ChecklistStatePlugin", "Plugin", "Work365.ChecklistStatePlugin.snk");

        [Fact]
        public void The_plugin_is_strong_name_signed_with_the_projects_key()
        {
            var bytes = File.ReadAllBytes(PluginDll);
            using var pe = new PEReader(ImmutableArray.Create(bytes));
            var cor = pe.PEHeaders.CorHeader!;
            Assert.True(cor.Flags.HasFlag(CorFlags.StrongNameSigned), "the StrongNameSigned flag");
            var publicKey = pe.GetMetadataReader().GetBlobBytes(pe.GetMetadataReader().GetAssemblyDefinition().PublicKey);
            var rsa = RsaOfKeyFile(File.ReadAllBytes(KeyFile), out var expectedPublicKey);
            Assert.Equal(expectedPublicKey, publicKey);
            Assert.True(SignatureVerifies(bytes, pe.PEHeaders, rsa), "the strong-name signature verifies against the project's key");

            // The check can fail: one changed byte of code breaks the signature.
            var tampered = (byte[])bytes.Clone();
            tampered[pe.PEHeaders.SectionHeaders[0].PointerToRawData + 16] ^= 0xFF;
            Assert.False(SignatureVerifies(tampered, pe.PEHeaders, rsa));
        }

        [Fact]
        public void It_references_the_real_sdk_by_its_identity()
        {
            using var pe = new PEReader(File.OpenRead(PluginDll));
            var reader = pe.GetMetadataReader();
            var sdk = reader.AssemblyReferences.Select(reader.GetAssemblyReference).Single(r => reader.GetString(r.Name) == "Microsoft.Xrm.Sdk");
            Assert.Equal(new Version(9, 0, 0, 0), sdk.Version);
            Assert.True(sdk.Culture.IsNil);
            Assert.Equal("31bf3856ad364e35", Convert.ToHexString(reader.GetBlobBytes(sdk.PublicKeyOrToken)).ToLowerInvariant());
            // Beside the SDK only the .NET Framework itself: nothing that would need shipping with it.
            Assert.Equal(new[] { "Microsoft.Xrm.Sdk", "System", "System.Core", "System.Xml", "mscorlib" }, reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void The_solution_registers_this_assembly_and_its_plugin_type_by_their_identities()
        {
            var folder = Directory.GetDirectories(Path.Combine(StateVectorTests.RepositoryRoot, "Solutions", "Work365Setup", "src", "PluginAssemblies")).Single();
            var data = System.Xml.Linq.XDocument.Load(Directory.GetFiles(folder, "*.dll.data.xml").Single()).Root!;
            var built = AssemblyName.GetAssemblyName(PluginDll);
            Assert.Equal(built.FullName, (string?)data.Attribute("FullName"));

            using var pe = new PEReader(File.OpenRead(PluginDll));
            var reader = pe.GetMetadataReader();
            var pluginTypes = reader.TypeDefinitions.Select(reader.GetTypeDefinition)
                .Where(t => t.GetInterfaceImplementations().Any(i => reader.GetInterfaceImplementation(i).Interface.Kind == HandleKind.TypeReference
                    && reader.GetString(reader.GetTypeReference((TypeReferenceHandle)reader.GetInterfaceImplementation(i).Interface).Name) == "IPlugin"))
                .Select(t => reader.GetString(t.Namespace) + "." + reader.GetString(t.Name));
            var registered = data.Descendants("PluginType").Select(t => (string?)t.Attribute("Name"));
            Assert.Equal(pluginTypes.OrderBy(n => n, StringComparer.Ordinal), registered.OrderBy(n => n, StringComparer.Ordinal));
            foreach (var type in data.Descendants("PluginType"))
                Assert.Equal((string?)type.Attribute("Name") + ", " + built.FullName, (string?)type.Attribute("AssemblyQualifiedName"));
        }

        [Fact]
        public void The_facade_has_the_real_sdks_identity_public_signed()
        {
            using var pe = new PEReader(File.OpenRead(FacadeDll));
            var reader = pe.GetMetadataReader();
            var name = reader.GetAssemblyDefinition().GetAssemblyName();
            Assert.Equal("Microsoft.Xrm.Sdk", name.Name);
            Assert.Equal(new Version(9, 0, 0, 0), name.Version);
            Assert.Equal("", name.CultureName);
            Assert.Equal("31bf3856ad364e35", Convert.ToHexString(name.GetPublicKeyToken()!).ToLowerInvariant());
            // Public-signed: the key is Microsoft's public one, the signature space is empty (no private key was used).
            var directory = pe.PEHeaders.CorHeader!.StrongNameSignatureDirectory;
            Assert.True(pe.PEHeaders.TryGetDirectoryOffset(directory, out var offset));
            Assert.All(File.ReadAllBytes(FacadeDll).Skip(offset).Take(directory.Size), b => Assert.Equal(0, b));
        }

        [Fact]
        public void The_facade_is_not_beside_the_built_plugin()
        {
            var folder = Path.GetDirectoryName(PluginDll)!;
            Assert.True(File.Exists(PluginDll));
            Assert.False(File.Exists(Path.Combine(folder, "Microsoft.Xrm.Sdk.dll")), "the SDK is the sandbox's own: never copied beside the plug-in");
        }

        [Fact]
        public void Every_sdk_member_it_references_is_declared_by_the_facade_in_the_same_shape()
        {
            using var plugin = new PEReader(File.OpenRead(PluginDll));
            using var facade = new PEReader(File.OpenRead(FacadeDll));
            var used = SdkReferences(plugin.GetMetadataReader());
            var declared = FacadeMembers(facade.GetMetadataReader());
            Assert.Contains("T:Microsoft.Xrm.Sdk.IPlugin", used);
            Assert.Contains(used, u => u.StartsWith("M:Microsoft.Xrm.Sdk.IExecutionContext::get_InputParameters", StringComparison.Ordinal));
            Assert.Contains(used, u => u.StartsWith("M:Microsoft.Xrm.Sdk.DataCollection`2::TryGetValue", StringComparison.Ordinal));
            Assert.Equal(Array.Empty<string>(), used.Except(declared).OrderBy(u => u, StringComparer.Ordinal));
        }

        /// <summary>"T:Namespace.Type" for each SDK type, "M:Type::name(signature)" / "F:…" for each SDK member the plug-in refers to.</summary>
        private static HashSet<string> SdkReferences(MetadataReader reader)
        {
            var names = new Names(reader);
            var sdk = reader.AssemblyReferences.Single(h => reader.GetString(reader.GetAssemblyReference(h).Name) == "Microsoft.Xrm.Sdk");
            bool IsSdk(TypeReferenceHandle handle)
            {
                var scope = reader.GetTypeReference(handle).ResolutionScope;
                return scope.Kind == HandleKind.AssemblyReference ? (AssemblyReferenceHandle)scope == sdk : scope.Kind == HandleKind.TypeReference && IsSdk((TypeReferenceHandle)scope);
            }
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var handle in reader.TypeReferences.Where(IsSdk)) result.Add("T:" + names.Of(handle));
            foreach (var handle in reader.MemberReferences)
            {
                var member = reader.GetMemberReference(handle);
                var parent = member.Parent;
                TypeReferenceHandle? type = parent.Kind == HandleKind.TypeReference ? (TypeReferenceHandle)parent
                    : parent.Kind == HandleKind.TypeSpecification ? GenericTypeOf(reader, (TypeSpecificationHandle)parent) : null;
                if (type == null || !IsSdk(type.Value)) continue;
                var kind = member.GetKind() == MemberReferenceKind.Method ? "M:" : "F:";
                result.Add(kind + names.Of(type.Value) + "::" + reader.GetString(member.Name) + Signature(reader, member.Signature, kind == "M:"));
            }
            return result;
        }

        private static HashSet<string> FacadeMembers(MetadataReader reader)
        {
            var names = new Names(reader);
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                if (!type.Attributes.HasFlag(TypeAttributes.Public) && !type.Attributes.HasFlag(TypeAttributes.NestedPublic)) continue;
                var typeName = names.Of(handle);
                result.Add("T:" + typeName);
                foreach (var m in type.GetMethods().Select(reader.GetMethodDefinition).Where(m => (m.Attributes & MethodAttributes.MemberAccessMask) >= MethodAttributes.Family))
                    result.Add("M:" + typeName + "::" + reader.GetString(m.Name) + Signature(reader, m.Signature, true));
                foreach (var f in type.GetFields().Select(reader.GetFieldDefinition).Where(f => (f.Attributes & FieldAttributes.FieldAccessMask) >= FieldAttributes.Family))
                    result.Add("F:" + typeName + "::" + reader.GetString(f.Name) + Signature(reader, f.Signature, false));
            }
            return result;
        }

        private static TypeReferenceHandle? GenericTypeOf(MetadataReader reader, TypeSpecificationHandle handle)
        {
            var blob = reader.GetBlobReader(reader.GetTypeSpecification(handle).Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
            blob.ReadSignatureTypeCode(); // class or value type
            var generic = blob.ReadTypeHandle();
            return generic.Kind == HandleKind.TypeReference ? (TypeReferenceHandle)generic : null;
        }

        /// <summary>A signature as text, types named by namespace and name, so a reference and a definition compare equal.</summary>
        private static string Signature(MetadataReader reader, BlobHandle signature, bool method)
        {
            var decoder = new SignatureDecoder<string, object?>(new Names(reader), reader, null);
            var blob = reader.GetBlobReader(signature);
            if (!method) return ":" + decoder.DecodeFieldSignature(ref blob);
            var decoded = decoder.DecodeMethodSignature(ref blob);
            var generic = decoded.GenericParameterCount > 0 ? "``" + decoded.GenericParameterCount : "";
            return generic + "(" + string.Join(",", decoded.ParameterTypes) + "):" + decoded.ReturnType + (decoded.Header.IsInstance ? "" : " static");
        }

        private sealed class Names : ISignatureTypeProvider<string, object?>
        {
            private readonly MetadataReader reader;
            public Names(MetadataReader reader) { this.reader = reader; }

            public string Of(TypeReferenceHandle handle)
            {
                var type = reader.GetTypeReference(handle);
                var name = reader.GetString(type.Name);
                return type.ResolutionScope.Kind == HandleKind.TypeReference ? Of((TypeReferenceHandle)type.ResolutionScope) + "/" + name : Qualified(reader.GetString(type.Namespace), name);
            }

            public string Of(TypeDefinitionHandle handle)
            {
                var type = reader.GetTypeDefinition(handle);
                var name = reader.GetString(type.Name);
                return type.IsNested ? Of(type.GetDeclaringType()) + "/" + name : Qualified(reader.GetString(type.Namespace), name);
            }

            private static string Qualified(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

            public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
            public string GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) => Of(handle);
            public string GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind) => Of(handle);
            public string GetTypeFromSpecification(MetadataReader r, object? context, TypeSpecificationHandle handle, byte rawTypeKind) => r.GetTypeSpecification(handle).DecodeSignature(this, context);
            public string GetSZArrayType(string elementType) => elementType + "[]";
            public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";
            public string GetByReferenceType(string elementType) => elementType + "&";
            public string GetPointerType(string elementType) => elementType + "*";
            public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType + "<" + string.Join(",", typeArguments) + ">";
            public string GetGenericTypeParameter(object? context, int index) => "!" + index;
            public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
            public string GetFunctionPointerType(MethodSignature<string> signature) => "method";
            public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType + (isRequired ? " modreq(" : " modopt(") + modifier + ")";
            public string GetPinnedType(string elementType) => elementType + " pinned";
        }

        // --- Strong-name signatures -------------------------------------------------------------

        /// <summary>The RSA key of an .snk (a CryptoAPI private key blob), and the assembly public key it gives.</summary>
        private static RSA RsaOfKeyFile(byte[] snk, out byte[] assemblyPublicKey)
        {
            using var csp = new RSACryptoServiceProvider();
            csp.ImportCspBlob(snk);
            var publicBlob = csp.ExportCspBlob(false);
            // An assembly names the key a signature key (CALG_RSA_SIGN), whichever kind the file holds.
            BitConverter.GetBytes(0x2400).CopyTo(publicBlob, 4);
            // The assembly's public key: signature algorithm (CALG_RSA_SIGN), hash algorithm (CALG_SHA1), length, then the blob.
            assemblyPublicKey = BitConverter.GetBytes(0x2400).Concat(BitConverter.GetBytes(0x8004)).Concat(BitConverter.GetBytes(publicBlob.Length)).Concat(publicBlob).ToArray();
            var rsa = RSA.Create();
            rsa.ImportParameters(csp.ExportParameters(false));
            return rsa;
        }

        /// <summary>
        /// ECMA-335 II.6.2.1.3, as compilers sign: the SHA-1 hash of the headers up to the end of the
        /// section table (without their alignment padding) with the checksum and the certificate
        /// table's directory entry zeroed, then every section's raw data without the signature blob;
        /// signed with RSA (PKCS #1 v1.5) and stored little-endian.
        /// </summary>
        private static bool SignatureVerifies(byte[] image, PEHeaders headers, RSA rsa)
        {
            var directory = headers.CorHeader!.StrongNameSignatureDirectory;
            if (!headers.TryGetDirectoryOffset(directory, out var signatureOffset)) return false;
            var copy = (byte[])image.Clone();
            Array.Clear(copy, headers.PEHeaderStartOffset + 64, 4);
            Array.Clear(copy, headers.PEHeaderStartOffset + (headers.PEHeader!.Magic == PEMagic.PE32Plus ? 144 : 128), 8);
            var headerEnd = headers.PEHeaderStartOffset + headers.CoffHeader.SizeOfOptionalHeader + headers.CoffHeader.NumberOfSections * 40;
            using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            sha1.AppendData(copy, 0, headerEnd);
            foreach (var section in headers.SectionHeaders)
            {
                var start = section.PointerToRawData;
                var end = start + section.SizeOfRawData;
                if (signatureOffset >= start && signatureOffset < end)
                {
                    sha1.AppendData(copy, start, signatureOffset - start);
                    sha1.AppendData(copy, signatureOffset + directory.Size, end - signatureOffset - directory.Size);
                }
                else sha1.AppendData(copy, start, end - start);
            }
            var signature = image.Skip(signatureOffset).Take(directory.Size).Reverse().ToArray();
            return rsa.VerifyHash(sha1.GetHashAndReset(), signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
        }
    }
}
