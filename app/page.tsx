export default function HomePage() {
  return <main className="p-6"><h1 className="text-xl font-semibold">Workload Identity Console</h1></main>;
}
